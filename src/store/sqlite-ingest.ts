import { Worker } from 'node:worker_threads';
import type { IngestOutcome, IngestRows, IngestWriter } from './ingest-writer.ts';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES } from './dialect.ts';

export interface IngestWorkerData {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  /** How long a write waits for another connection's write lock before it fails (default 5 s, as the main connection). */
  busyTimeoutMs?: number;
  /** WAL pages before a commit checkpoints (default: the main connection's, SQLITE_WAL_AUTOCHECKPOINT_PAGES). */
  walAutocheckpointPages?: number;
}

/**
 * A batch as it crosses to the thread: each table's column names once, and
 * each row as its values in that order. Arrays of values clone faster than
 * objects that repeat every key, and the thread binds them as they are.
 */
export interface PackedBatch {
  eventColumns: string[];
  jobColumns: string[];
  events: unknown[][];
  jobs: unknown[][];
}

export type IngestRequest = { id: number; batch: PackedBatch } | { id: number; close: true };
export type IngestReply =
  | { id: number; ok: true; outcomes: IngestOutcome[] }
  | { id: number; ok: false; message: string; code?: string };

/**
 * The batch as columns and values, with every body moved into one
 * ArrayBuffer, which is transferred rather than copied. A small Buffer is a
 * view into Node's shared 8 KiB pool, and structured clone copies a view's
 * whole backing store: sent as they are, bodies of a hundred bytes cost 8 KiB each.
 */
export function packBatch(batch: readonly IngestRows[]): { batch: PackedBatch; transfer: ArrayBuffer } {
  let size = 0;
  for (const { event } of batch) size += event.body.byteLength;
  const packed = new ArrayBuffer(size);
  const eventColumns = Object.keys(batch[0]!.event);
  const jobColumns = Object.keys(batch[0]!.job);
  let offset = 0;
  const events = batch.map(({ event }) => {
    const body = new Uint8Array(packed, offset, event.body.byteLength);
    body.set(event.body);
    offset += body.byteLength;
    return eventColumns.map((c) => (c === 'body' ? body : event[c as keyof typeof event]));
  });
  const jobs = batch.map(({ job }) => jobColumns.map((c) => job[c as keyof typeof job]));
  return { batch: { eventColumns, jobColumns, events, jobs }, transfer: packed };
}

interface Waiter {
  resolve: (o: IngestOutcome[]) => void;
  reject: (err: Error) => void;
  thread: Worker;
}

/**
 * The SQLite ingest writer on its own thread. better-sqlite3 runs every
 * statement, and the commit's fsync, synchronously on the calling thread;
 * on the event loop that stalls every other request for the whole write.
 * Here a worker thread owns a second connection and writes each batch with
 * BEGIN IMMEDIATE, so the event loop keeps reading requests while the
 * previous batch is made durable. A worker that dies fails its batches (the
 * callers answer 503 and the senders retry) and the next write starts a new one.
 */
export class SqliteIngestThread implements IngestWriter {
  readonly #data: IngestWorkerData;
  readonly #waiting = new Map<number, Waiter>();
  #worker: Worker | undefined;
  #seq = 0;

  constructor(data: IngestWorkerData) {
    this.#data = data;
  }

  write(batch: IngestRows[]): Promise<IngestOutcome[]> {
    // An empty batch has no columns to pack, and nothing to write.
    if (batch.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const id = ++this.#seq;
      const thread = this.#thread();
      this.#waiting.set(id, { resolve, reject, thread });
      const packed = packBatch(batch);
      thread.postMessage({ id, batch: packed.batch } satisfies IngestRequest, [packed.transfer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((r) => worker.once('exit', r));
    // Queued batches run first: the worker handles messages in order.
    worker.postMessage({ id: ++this.#seq, close: true } satisfies IngestRequest);
    await exited;
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./sqlite-ingest-worker.ts', import.meta.url), { workerData: { ...this.#data, walAutocheckpointPages: this.#data.walAutocheckpointPages ?? SQLITE_WAL_AUTOCHECKPOINT_PAGES } });
    worker.on('message', (reply: IngestReply) => {
      const waiter = this.#waiting.get(reply.id);
      if (!waiter) return;
      this.#waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.outcomes);
      else waiter.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
    });
    // A dead thread fails what it held and is forgotten; the next write starts another.
    const fail = (err: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const [id, w] of this.#waiting) {
        if (w.thread !== worker) continue;
        this.#waiting.delete(id);
        w.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite ingest writer thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }
}
