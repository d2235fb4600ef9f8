// The SQLite ingest writer thread (see sqlite-ingest.ts). It owns one
// connection and writes each transaction with BEGIN IMMEDIATE.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { IngestOutcome } from './ingest-writer.ts';
import type { IngestReply, IngestRequest, IngestWorkerData, PackedBatch } from './sqlite-ingest.ts';

const data = workerData as IngestWorkerData;
const db = new SQLite(data.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${data.synchronous}`);
db.pragma('foreign_keys = ON');
db.pragma(`busy_timeout = ${data.busyTimeoutMs ?? 5000}`);
db.pragma(`wal_autocheckpoint = ${data.walAutocheckpointPages}`);

const statements = new Map<string, SQLite.Statement>();
/**
 * The insert for these columns of `table`, in their order: the row mappers
 * in repos/ decide the columns, this only follows them. Positional binding
 * is markedly cheaper than named binding in better-sqlite3.
 */
function insertInto(table: string, cols: readonly string[], tail = ''): SQLite.Statement {
  const key = `${table}:${cols.join(',')}${tail}`;
  let stmt = statements.get(key);
  if (!stmt) {
    stmt = db.prepare(`insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})${tail}`);
    statements.set(key, stmt);
  }
  return stmt;
}

const existing = db.prepare<[unknown, unknown], string>('select "id" from "webhook_events" where "dedup_key" = ? and "source_id" = ?').pluck();

function writeRows({ eventColumns, jobColumns, events, jobs }: PackedBatch): IngestOutcome[] {
  const insertEvent = insertInto('webhook_events', eventColumns, ' on conflict ("dedup_key", "source_id") do nothing');
  const insertJob = insertInto('jobs', jobColumns);
  const [id, body, dedupKey, sourceId] = ['id', 'body', 'dedup_key', 'source_id'].map((c) => eventColumns.indexOf(c)) as [number, number, number, number];
  return events.map((event, i) => {
    // Structured clone hands bodies over as plain Uint8Arrays; SQLite binds Buffers.
    const bytes = event[body] as Uint8Array;
    event[body] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // The dedup index decides: a stored (source, dedup key), in an earlier
    // batch or earlier in this one, makes the insert a no-op, and only then is
    // the stored id looked up. New events, the common case, pay no lookup.
    if (insertEvent.run(event).changes === 0) return { eventId: existing.get(event[dedupKey], event[sourceId])!, duplicate: true };
    insertJob.run(jobs[i]!);
    return { eventId: event[id] as string, duplicate: false };
  });
}

/** One transaction for all these batches; the outcomes come back per batch. */
const writeBatches = db.transaction((batches: PackedBatch[]): IngestOutcome[][] => batches.map(writeRows));

/** The most rows one transaction takes from queued batches; the rest wait for the next. */
const MAX_MERGED_ROWS = 4096;

function fail(err: unknown, id: number): IngestReply {
  const e = err as { message?: string; code?: unknown };
  return { id, ok: false, message: String(e.message ?? err), ...(typeof e.code === 'string' ? { code: e.code } : {}) };
}

type Batch = Extract<IngestRequest, { batch: unknown }>;

function writeAlone({ id, batch }: Batch): void {
  let reply: IngestReply;
  try {
    reply = { id, ok: true, outcomes: writeBatches.immediate([batch])[0]! };
  } catch (err) {
    reply = fail(err, id);
  }
  parentPort!.postMessage(reply);
}

parentPort!.on('message', (first: IngestRequest) => {
  // Every batch the event loop posted while the last transaction committed
  // joins this one. The writer never waits for the event loop to hear of
  // the last commit and post the next batch: it takes what is queued, so
  // each commit's fsync is shared by everything that arrived during the last.
  const batches: Batch[] = [];
  let merged = 0;
  let closing = false;
  for (let next: IngestRequest | undefined = first; next; next = merged < MAX_MERGED_ROWS ? receiveMessageOnPort(parentPort!)?.message : undefined) {
    if ('close' in next) {
      closing = true;
      break;
    }
    batches.push(next);
    merged += next.batch.events.length;
  }
  if (batches.length > 1) {
    try {
      const outcomes = writeBatches.immediate(batches.map((b) => b.batch));
      batches.forEach(({ id }, i) => parentPort!.postMessage({ id, ok: true, outcomes: outcomes[i]! } satisfies IngestReply));
    } catch (_err) {
      // The merged transaction rolled back: write each batch alone, so one
      // batch's failure (a source deleted meanwhile) fails only its own callers.
      for (const b of batches) writeAlone(b);
    }
  } else if (batches.length === 1) writeAlone(batches[0]!);
  if (closing) {
    db.close();
    parentPort!.close();
  }
});
