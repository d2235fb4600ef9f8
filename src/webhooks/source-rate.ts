/**
 * A per-source token bucket: `rate` events per second with a burst of the
 * same size. In memory, so each API process enforces it on its own share of
 * the traffic; a shared bucket would need Redis (see the connectors' limiter).
 */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Returns 0 when the event may pass, else the seconds to wait. */
  take(sourceId: string, ratePerSec: number, now: number): number {
    const b = this.buckets.get(sourceId) ?? { tokens: ratePerSec, at: now };
    b.tokens = Math.min(ratePerSec, b.tokens + ((now - b.at) / 1000) * ratePerSec);
    b.at = now;
    this.buckets.set(sourceId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / ratePerSec));
  }
}
