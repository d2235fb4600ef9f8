import { newId } from '../domain/ids.ts';
import type { Store } from '../store/store.ts';
import { isUniqueViolation } from '../store/dialect.ts';
import type { Queue } from '../queue/queue.ts';
import type { NewWebhookEvent } from '../store/repos/webhook-events.ts';
import type { IngestRows, IngestWriter } from '../store/ingest-writer.ts';
import { jobRow } from '../store/repos/jobs.ts';
import { webhookEventRow } from '../store/repos/webhook-events.ts';

export type IncomingEvent = Omit<NewWebhookEvent, 'id' | 'jobId'>;
export interface Stored {
  eventId: string;
  duplicate: boolean;
}

interface Pending {
  event: IncomingEvent;
  resolve: (s: Stored) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most events in one transaction. */
  maxBatch: number;
  /** Most body bytes in one transaction (keeps MySQL packets and memory bounded). */
  maxBytes: number;
  /** Batches in flight at once: 1 on SQLite without the writer thread, a few on PostgreSQL/MySQL, more for the thread (it merges what is queued). */
  maxConcurrent: number;
  /**
   * Hand a batch over as soon as this many events wait, without waiting for
   * the end of the event loop's turn. Under steady load every connection's
   * next request arrives in the same turn; batching whole turns makes them
   * one convoy that the event loop and the writer take in turn, each idle
   * while the other works. Splitting it lets the two overlap.
   */
  flushAt?: number;
  /** false: one transaction per request (the naive design, kept for the benchmark). */
  enabled: boolean;
  /** Writes batches off the event loop (SQLite's writer thread); without it, batches go through the store's transaction. */
  writer?: IngestWriter;
}

export const PROCESS_JOB = 'webhook.process';

/**
 * Group commit: requests that arrive while a transaction is being written
 * wait for the next one, and each transaction (and its one fsync) commits
 * them all. No timer: the batch is whatever arrived during the previous
 * commit, so a lone request pays one commit and a burst shares them.
 * Every caller is answered only after the commit that holds its event.
 */
export class GroupCommitter {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;
  private readonly store: Store;
  private readonly queue: Queue;
  private readonly opts: GroupCommitOptions;
  constructor(store: Store, queue: Queue, opts: GroupCommitOptions) {
    this.store = store;
    this.queue = queue;
    this.opts = opts;
  }

  private scheduled = false;

  submit(event: IncomingEvent): Promise<Stored> {
    return new Promise<Stored>((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.opts.enabled) return this.pump();
      if (this.opts.flushAt !== undefined && this.waiting.length >= this.opts.flushAt) this.pump();
      // better-sqlite3 commits synchronously: flushing straight away would
      // write every request alone before the next socket is even read. Wait
      // for the end of this turn of the event loop, so every request whose
      // bytes arrived in it joins the same transaction.
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    const limit = this.opts.enabled ? this.opts.maxConcurrent : Number.POSITIVE_INFINITY;
    while (this.waiting.length > 0 && this.inFlight < limit) {
      const batch = this.opts.enabled ? this.take() : [this.waiting.shift()!];
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (this.waiting.length > 0 && batch.length < this.opts.maxBatch) {
      const next = this.waiting[0]!;
      if (batch.length > 0 && bytes + next.event.body.length > this.opts.maxBytes) break;
      bytes += next.event.body.length;
      batch.push(this.waiting.shift()!);
    }
    return batch;
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      let results: Stored[];
      try {
        results = await this.write(batch);
      } catch (err) {
        // Another process stored one of these keys between our lookup and insert: look again.
        if (!isUniqueViolation(err)) throw err;
        results = await this.write(batch);
      }
      batch.forEach((p, i) => p.resolve(results[i]!));
      if (results.some((r) => !r.duplicate)) this.queue.nudge();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /** Waits for the batches in flight, then stops the writer. Submit nothing after this. */
  async close(): Promise<void> {
    while (this.inFlight > 0 || this.waiting.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.opts.writer?.close();
  }

  private write(batch: Pending[]): Promise<Stored[]> {
    const writer = this.opts.writer;
    if (writer) return writer.write(batch.map(({ event }) => this.rows(event)));
    return this.store.transaction(async (tx) => {
      const keyOf = (e: IncomingEvent) => `${e.sourceId}\n${e.dedupKey}`;
      const existing = await tx.webhookIngest.existing([...new Set(batch.map((p) => p.event.dedupKey))]);
      const fresh = new Map<string, string>();
      const events: NewWebhookEvent[] = [];
      const jobs = [];
      const results: Stored[] = [];
      for (const { event } of batch) {
        const key = keyOf(event);
        const known = existing.get(key) ?? fresh.get(key);
        if (known) {
          results.push({ eventId: known, duplicate: true });
          continue;
        }
        const made = this.candidate(event);
        jobs.push(made.job);
        events.push(made.event);
        fresh.set(key, made.event.id);
        results.push({ eventId: made.event.id, duplicate: false });
      }
      await tx.queue.insert(jobs);
      await tx.webhookIngest.insert(events);
      return results;
    });
  }

  /**
   * The job and event that store one delivery, if it is new. Nothing else is
   * written here: every row costs the ingest path its b-tree inserts, so the
   * `webhook.received` domain event is emitted by the processing job.
   */
  private candidate(incoming: IncomingEvent) {
    const eventId = newId('event', incoming.receivedAt);
    const job = this.queue.newJob({ tenantId: incoming.tenantId, payload: { kind: PROCESS_JOB, v: 1, eventId, provider: incoming.provider, type: incoming.eventType } }, incoming.receivedAt);
    const event: NewWebhookEvent = { ...incoming, id: eventId, jobId: job.id };
    return { job, event };
  }

  private rows(incoming: IncomingEvent): IngestRows {
    const c = this.candidate(incoming);
    return { job: jobRow(c.job), event: webhookEventRow(c.event) };
  }
}
