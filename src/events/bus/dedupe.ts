import type { EventHandler } from './port.ts';

/**
 * Consumer-side dedup by event id. At-least-once buses redeliver; wrapping a
 * handler in `dedupe` makes a second delivery of a handled id a no-op.
 *
 * An id is first claimed as "processing" for `claimTtlMs`, then marked "done"
 * for `doneTtlMs` once the handler resolves. A failed handler releases its
 * claim so the redelivery runs it again. A delivery that finds the id still
 * "processing" elsewhere is rejected (not skipped): if that other consumer
 * dies, the claim expires and the redelivery gets its turn, so nothing is
 * lost to a crash between claim and completion.
 */
export type ClaimResult = 'claimed' | 'done' | 'busy';

export interface SeenStore {
  claim(id: string, claimTtlMs: number): Promise<ClaimResult>;
  complete(id: string, doneTtlMs: number): Promise<void>;
  release(id: string): Promise<void>;
}

export interface DedupeOptions {
  claimTtlMs?: number;
  doneTtlMs?: number;
  /** Called when a duplicate is dropped (for metrics). */
  onDuplicate?: (id: string) => void;
}

export class DuplicateInFlightError extends Error {
  constructor(id: string) {
    super(`event ${id} is being handled by another consumer; retry later`);
    this.name = 'DuplicateInFlightError';
  }
}

export function dedupe(handler: EventHandler, store: SeenStore, opts: DedupeOptions = {}): EventHandler {
  const claimTtlMs = opts.claimTtlMs ?? 60_000;
  const doneTtlMs = opts.doneTtlMs ?? 24 * 3600_000;
  return async (event, ctx) => {
    const claim = await store.claim(event.id, claimTtlMs);
    if (claim === 'done') {
      opts.onDuplicate?.(event.id);
      return;
    }
    if (claim === 'busy') throw new DuplicateInFlightError(event.id);
    try {
      await handler(event, ctx);
    } catch (err) {
      await store.release(event.id);
      throw err;
    }
    await store.complete(event.id, doneTtlMs);
  };
}

interface Entry {
  state: 'processing' | 'done';
  expiresAt: number;
}

/**
 * A bounded in-process seen-store. Map iteration order is insertion order,
 * so re-inserting on touch and evicting the first key gives LRU.
 */
export class MemorySeenStore implements SeenStore {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: { maxEntries?: number; now?: () => number } = {}) {
    this.#max = opts.maxEntries ?? 100_000;
    this.#now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async claim(id: string, claimTtlMs: number): Promise<ClaimResult> {
    const existing = this.#entries.get(id);
    if (existing && existing.expiresAt > this.#now()) return existing.state === 'done' ? 'done' : 'busy';
    this.#set(id, { state: 'processing', expiresAt: this.#now() + claimTtlMs });
    return 'claimed';
  }

  async complete(id: string, doneTtlMs: number): Promise<void> {
    this.#set(id, { state: 'done', expiresAt: this.#now() + doneTtlMs });
  }

  async release(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  #set(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
