import type { JobsTable, WebhookEventsTable } from './schema.ts';

/** One received webhook as the two rows that store it: its processing job and the event. */
export interface IngestRows {
  job: JobsTable;
  event: WebhookEventsTable;
}

export interface IngestOutcome {
  eventId: string;
  duplicate: boolean;
}

/**
 * Writes a batch of received webhooks atomically, skipping any whose (source,
 * dedup key) is already stored. Implementations: the SQLite writer thread
 * (sqlite-ingest.ts) and PostgreSQL's one statement per batch (postgres-ingest.ts).
 */
export interface IngestWriter {
  write(batch: IngestRows[]): Promise<IngestOutcome[]>;
  close(): Promise<void>;
}
