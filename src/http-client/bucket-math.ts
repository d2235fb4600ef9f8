import type { RateLimitRule } from './profile.ts';

/**
 * The token bucket as one number per key: the time at which the bucket will
 * be full again (GCRA's "theoretical arrival time"). Taking n tokens pushes it
 * n × `perTokenMs` later; it may lead `now` by at most `fillMs` (a full
 * bucket's worth). Memory and Redis run this same arithmetic.
 *
 * Sizing: providers count in a rolling window (HubSpot's TEN_SECONDLY_ROLLING)
 * or a fixed one that resets (GitHub). A bucket of capacity C refilled at r
 * lets through at most C + r·(W + J) in any span of W + J, J being the jitter
 * between our clock and the moment the request lands. Keeping that ≤ the
 * limit L means r = (L − C) / (W + J): a small C keeps throughput near L/W.
 */
export interface BucketParams {
  capacity: number;
  perTokenMs: number;
  fillMs: number;
}

export function bucketParams(rule: Pick<RateLimitRule, 'points' | 'durationMs' | 'burst'>, jitterMs?: number): BucketParams {
  const jitter = jitterMs ?? Math.max(50, Math.round(rule.durationMs * 0.02));
  const capacity = Math.min(rule.points, rule.burst ?? Math.max(1, Math.floor(rule.points * 0.03)));
  const refill = Math.max(1, rule.points - capacity);
  const perTokenMs = (rule.durationMs + jitter) / refill;
  return { capacity, perTokenMs, fillMs: capacity * perTokenMs };
}

export type BucketOp =
  /** Take n tokens if all are there. */
  | { op: 'take'; n: number }
  /** Take n tokens whatever is left: the bucket goes into debt (a request that cost more than we guessed). */
  | { op: 'debt'; n: number }
  /** The provider says only n remain: drop to n if we hold more. */
  | { op: 'cap'; n: number }
  /** The provider's quota is gone until this epoch-ms: hold every token until then. */
  | { op: 'until'; at: number }
  /** Read only. */
  | { op: 'peek' };

export interface BucketResult {
  ok: boolean;
  /** Whole tokens left after the operation (negative in debt). */
  tokens: number;
  /** When `ok` is false: how long until the tokens asked for are there. */
  waitMs: number;
  /** The new full-again time, epoch ms. */
  tat: number;
}

export function applyOp(storedTat: number | undefined, now: number, p: BucketParams, o: BucketOp): BucketResult {
  const tat = Math.max(storedTat ?? now, now);
  let next = tat;
  let ok = true;
  let waitMs = 0;
  switch (o.op) {
    case 'take': {
      const wanted = tat + o.n * p.perTokenMs;
      // A thousandth of a millisecond of slack absorbs float rounding (Redis stores the TAT as text).
      if (wanted - now > p.fillMs + 1e-3) {
        ok = false;
        waitMs = Math.ceil(wanted - p.fillMs - now);
      } else next = wanted;
      break;
    }
    case 'debt':
      next = tat + o.n * p.perTokenMs;
      break;
    case 'cap':
      next = Math.max(tat, now + p.fillMs - o.n * p.perTokenMs);
      break;
    case 'until':
      next = Math.max(tat, o.at + p.fillMs - p.perTokenMs);
      break;
    case 'peek':
      break;
  }
  return { ok, tokens: Math.floor((p.fillMs - (next - now)) / p.perTokenMs + 1e-3), waitMs, tat: next };
}
