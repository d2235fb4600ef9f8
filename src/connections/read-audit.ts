import { newId } from '../domain/ids.ts';
import type { Store } from '../store/store.ts';
import type { LogPort } from './ports.ts';

interface Pending {
  tenantId: string;
  actor: string;
  target: string;
  requestId: string | null;
  details: Record<string, unknown>;
  at: number;
}

/**
 * Token reads are the hot path, and an audit row per read would make every
 * read a durable write (an fsync on SQLite). Reads are audited in batches
 * instead: each entry keeps its own time and request id, and a batch
 * commits in one transaction every `flushMs` or `maxBatch` entries. A crash
 * loses at most that window of read entries; connects, refreshes and
 * revocations are audited synchronously, in line with the change.
 */
export class ReadAudit {
  readonly #store: Store;
  readonly #log: LogPort;
  readonly #flushMs: number;
  readonly #maxBatch: number;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(store: Store, log: LogPort, flushMs = 200, maxBatch = 500) {
    this.#store = store;
    this.#log = log;
    this.#flushMs = flushMs;
    this.#maxBatch = maxBatch;
  }

  add(e: Pending): void {
    this.#pending.push(e);
    if (this.#pending.length >= this.#maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs).unref();
  }

  /** Writes what is pending; resolves when everything added before the call is committed. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#flushing.then(() => (batch.length === 0 ? undefined : this.#write(batch)));
    return this.#flushing;
  }

  async #write(batch: Pending[]): Promise<void> {
    try {
      await this.#store.transaction(async (tx) => {
        for (const e of batch) {
          await tx.forTenant(e.tenantId).auditLog.append({ id: newId('audit', e.at), actor: e.actor, action: 'connection.token_read', target: e.target, requestId: e.requestId, details: e.details, at: e.at });
        }
      });
    } catch (err) {
      this.#log.error({ err, entries: batch.length }, 'token read audit entries could not be written');
    }
  }
}
