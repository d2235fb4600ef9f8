import { RateLimiterCompatibleAbstract, RateLimiterQueue, RateLimiterRes } from 'rate-limiter-flexible';
import { bucketParams, type BucketOp, type BucketParams } from './bucket-math.ts';
import type { BucketStore } from './bucket-store.ts';
import type { ProviderProfile, RateLimitRule } from './profile.ts';
import { parseRemaining, parseReset } from './rate-headers.ts';

/**
 * rate-limiter-flexible's limiter contract over our token bucket, so that its
 * RateLimiterQueue can do the waiting (FIFO per key, woken after exactly
 * `msBeforeNext`). Its stock Redis limiter is a fixed window whose TTL is in
 * whole seconds: against a rolling provider window that lets up to twice the
 * limit through at a window edge, hence a bucket of our own behind its API.
 */
class BucketLimiter extends RateLimiterCompatibleAbstract {
  readonly points: number;
  override readonly keyPrefix = '';
  override blockDuration = 0;
  override execEvenly = false;
  private readonly store: BucketStore;
  private readonly params: BucketParams;

  constructor(store: BucketStore, params: BucketParams) {
    super();
    this.store = store;
    this.params = params;
    this.points = params.capacity;
  }

  override async consume(key: string | number, points = 1): Promise<RateLimiterRes> {
    const r = await this.store.run(String(key), this.params, { op: 'take', n: points });
    const res = new RateLimiterRes(Math.max(0, r.tokens), r.waitMs, this.params.capacity - r.tokens, false);
    if (!r.ok) throw res;
    return res;
  }

  override async penalty(key: string | number, points = 1): Promise<RateLimiterRes> {
    const r = await this.store.run(String(key), this.params, { op: 'debt', n: points });
    return new RateLimiterRes(Math.max(0, r.tokens), 0, this.params.capacity - r.tokens, false);
  }

  override async get(key: string | number): Promise<RateLimiterRes | null> {
    const r = await this.store.run(String(key), this.params, { op: 'peek' });
    return new RateLimiterRes(Math.max(0, r.tokens), 0, this.params.capacity - r.tokens, false);
  }

  override reward(): Promise<RateLimiterRes> { return Promise.reject(new Error('not supported by the token bucket')); }
  override set(): Promise<RateLimiterRes> { return Promise.reject(new Error('not supported by the token bucket')); }
  override block(): Promise<RateLimiterRes> { return Promise.reject(new Error('not supported by the token bucket')); }
  override delete(): Promise<boolean> { return Promise.reject(new Error('not supported by the token bucket')); }
}

interface RuleBucket {
  rule: RateLimitRule;
  key: string;
  params: BucketParams;
  queue: RateLimiterQueue;
}

/**
 * The proactive limiter of one provider account: one bucket per documented
 * rule (burst, daily, complexity…). Requests wait for tokens instead of
 * meeting a 429, and the provider's remaining/reset headers pull the bucket
 * down when the provider has counted more than we have (another app, another
 * hub, a restart).
 */
export class AccountRateLimiter {
  private readonly buckets: RuleBucket[];
  private readonly store: BucketStore;
  private readonly headers: ProviderProfile['rateLimitHeaders'];

  constructor(profile: ProviderProfile, account: string, store: BucketStore) {
    this.store = store;
    this.headers = profile.rateLimitHeaders;
    this.buckets = profile.rateLimits.map((rule) => {
      const params = bucketParams(rule, profile.rateLimitJitterMs);
      return { rule, params, key: `${profile.provider}:${account}:${rule.name}`, queue: new RateLimiterQueue(new BucketLimiter(store, params)) };
    });
  }

  get rules(): ReadonlyArray<{ name: string; capacity: number; perTokenMs: number }> {
    return this.buckets.map((b) => ({ name: b.rule.name, capacity: b.params.capacity, perTokenMs: b.params.perTokenMs }));
  }

  /** Waits until every rule has tokens for this request; returns the time spent waiting (ms). */
  async acquire(cost = 1): Promise<number> {
    const started = performance.now();
    for (const b of this.buckets) {
      const want = b.rule.costed ? Math.max(0, Math.ceil(cost)) : 1;
      if (want === 0) continue;
      // The queue refuses more than a full bucket; take what fits, owe the rest.
      const now = Math.min(want, b.params.capacity);
      await b.queue.removeTokens(now, b.key);
      if (want > now) await this.store.run(b.key, b.params, { op: 'debt', n: want - now });
    }
    return performance.now() - started;
  }

  /** Spends extra points after the fact (Monday reports a query's real complexity in the response). */
  async charge(points: number, ruleName?: string): Promise<void> {
    const b = this.buckets.find((x) => (ruleName ? x.rule.name === ruleName : x.rule.costed));
    if (b && points > 0) await this.store.run(b.key, b.params, { op: 'debt', n: points });
  }

  /** Brings the bucket in step with what the provider says is left. */
  async observe(headers: Headers): Promise<void> {
    const h = this.headers;
    if (!h?.remaining) return;
    const remaining = parseRemaining(headers.get(h.remaining));
    if (remaining === undefined) return;
    const b = (h.rule ? this.buckets.find((x) => x.rule.name === h.rule) : this.buckets[0]);
    if (!b) return;
    const resetAt = h.reset ? parseReset(headers.get(h.reset), h.resetFormat) : undefined;
    const op: BucketOp = remaining === 0 && resetAt !== undefined && resetAt > Date.now() ? { op: 'until', at: resetAt } : { op: 'cap', n: remaining };
    await this.store.run(b.key, b.params, op);
  }
}
