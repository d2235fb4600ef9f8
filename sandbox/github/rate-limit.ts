import type { FastifyReply } from 'fastify';

/**
 * GitHub's primary limit is a fixed window per caller and resource: the
 * budget resets all at once at `x-ratelimit-reset` (epoch seconds), unlike
 * a rolling window. Each resource ("core", "search") has its own budget.
 */
export type Resource = 'core' | 'search';

interface Bucket {
  limit: number;
  used: number;
  resetAtMs: number;
}

export interface Budget {
  limit: number;
  used: number;
  remaining: number;
  resetSec: number;
  resource: Resource;
}

export class FixedWindows {
  private readonly buckets = new Map<string, Bucket>();

  private bucket(key: string, limit: number, windowMs: number, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b || b.resetAtMs <= now) {
      b = { limit, used: 0, resetAtMs: now + windowMs };
      this.buckets.set(key, b);
    }
    b.limit = limit;
    return b;
  }

  /** Spends one request when there is room. `count: false` reads the budget without spending (GET /rate_limit). */
  take(key: string, resource: Resource, limit: number, windowMs: number, count = true, now = Date.now()): { ok: boolean; budget: Budget } {
    const b = this.bucket(`${resource}:${key}`, limit, windowMs, now);
    const ok = b.used < b.limit;
    if (ok && count) b.used += 1;
    return { ok, budget: { limit: b.limit, used: b.used, remaining: Math.max(0, b.limit - b.used), resetSec: Math.ceil(b.resetAtMs / 1000), resource } };
  }

  reset(): void {
    this.buckets.clear();
  }
}

export function setRateHeaders(reply: FastifyReply, b: Budget): void {
  reply.header('x-ratelimit-limit', String(b.limit));
  reply.header('x-ratelimit-remaining', String(b.remaining));
  reply.header('x-ratelimit-reset', String(b.resetSec));
  reply.header('x-ratelimit-used', String(b.used));
  reply.header('x-ratelimit-resource', b.resource);
}

/** The body GitHub sends with an exhausted primary limit; the subject differs by caller kind. */
export function exceededMessage(subject: string): string {
  return `API rate limit exceeded for ${subject}. If you reach out to GitHub Support for help, please include the request ID and timestamp.`;
}

export const RATE_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
