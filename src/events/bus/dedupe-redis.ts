import type { Redis } from 'ioredis';
import type { ClaimResult, SeenStore } from './dedupe.ts';

/**
 * Seen-store shared by every consumer process: `SET key processing NX PX`
 * claims an id atomically, so two processes that receive the same event
 * cannot both handle it.
 */
export class RedisSeenStore implements SeenStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, opts: { prefix?: string } = {}) {
    this.#redis = redis;
    this.#prefix = opts.prefix ?? 'switchyard:seen';
  }

  #key(id: string): string {
    return `${this.#prefix}:${id}`;
  }

  async claim(id: string, claimTtlMs: number): Promise<ClaimResult> {
    const ok = await this.#redis.set(this.#key(id), 'processing', 'PX', claimTtlMs, 'NX');
    if (ok === 'OK') return 'claimed';
    // A claim that expired between the two calls reads as null: treat it as
    // busy, and the redelivery will win the next claim.
    return (await this.#redis.get(this.#key(id))) === 'done' ? 'done' : 'busy';
  }

  async complete(id: string, doneTtlMs: number): Promise<void> {
    await this.#redis.set(this.#key(id), 'done', 'PX', doneTtlMs);
  }

  async release(id: string): Promise<void> {
    await this.#redis.del(this.#key(id));
  }
}
