/**
 * A fixed or rolling request window, the shape most providers document
 * ("100 requests per 10 seconds"). Keyed by account/app so one fake can hold
 * several budgets.
 */
export class RateWindow {
  private readonly hits = new Map<string, number[]>();
  limit: number;
  windowMs: number;
  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Records a hit when there is room; returns whether the request may pass and what is left. */
  take(key: string, now = Date.now()): { ok: boolean; remaining: number; resetMs: number } {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    const oldest = list[0] ?? now;
    const resetMs = list.length === 0 ? this.windowMs : oldest + this.windowMs - now;
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return { ok: false, remaining: 0, resetMs };
    }
    list.push(now);
    this.hits.set(key, list);
    return { ok: true, remaining: this.limit - list.length, resetMs };
  }

  reset(): void {
    this.hits.clear();
  }
}
