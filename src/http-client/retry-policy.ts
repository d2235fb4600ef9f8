import { DelegateBackoff, ExponentialBackoff, handleWhen, retry, type IBackoff, type IRetryBackoffContext, type RetryPolicy } from 'cockatiel';
import { ProviderError, neverSent } from './errors.ts';
import type { ProviderProfile } from './profile.ts';
import { parseRemaining, parseReset, parseRetryAfter } from './rate-headers.ts';
import type { ProviderResponse } from './types.ts';

/**
 * When to try again and how long to wait, as cockatiel policies. The
 * provider's own hint (Retry-After, or the reset header on a rate-limit
 * answer) wins over our backoff; otherwise exponential backoff with
 * decorrelated jitter. No retry starts past the profile's total budget.
 *
 * A request that is not idempotent is repeated only where the provider
 * cannot have acted on it: the connection was refused, the answer was a rate
 * limit (429, or GitHub's 403 with nothing remaining), or a 503 that carries
 * Retry-After (the provider asking us to come back).
 */

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotent(method: string, flagged: boolean | undefined, idempotencyKey: string | undefined): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase()) || flagged === true || idempotencyKey !== undefined;
}

/** A rate-limit answer: 429, or 403 whose remaining header says 0 (GitHub's primary limit). */
export function isRateLimitAnswer(res: ProviderResponse, profile: ProviderProfile): boolean {
  if (res.status === 429) return true;
  const header = profile.rateLimitHeaders?.remaining;
  return res.status === 403 && header !== undefined && parseRemaining(res.headers.get(header)) === 0;
}

/** How long the provider asked us to wait, in ms, if it said. */
export function providerHint(res: ProviderResponse, profile: ProviderProfile, now = Date.now()): number | undefined {
  const after = parseRetryAfter(res.headers.get('retry-after'), profile.retry.retryAfterFormat, now);
  if (after !== undefined) return after;
  const h = profile.rateLimitHeaders;
  if (h?.reset && isRateLimitAnswer(res, profile)) {
    const at = parseReset(res.headers.get(h.reset), h.resetFormat, now);
    if (at !== undefined) return Math.max(0, at - now);
  }
  return undefined;
}

export function retryableResponse(res: ProviderResponse, profile: ProviderProfile, idempotent: boolean): boolean {
  const limited = isRateLimitAnswer(res, profile);
  if (!limited && !profile.retry.statuses.includes(res.status)) return false;
  if (idempotent || limited) return true;
  return res.status === 503 && res.headers.get('retry-after') !== null;
}

export function retryableError(err: Error, idempotent: boolean): boolean {
  if (!(err instanceof ProviderError)) return false;
  if (err.code === 'provider_network_error') return idempotent || neverSent(err);
  return err.code === 'provider_timeout' && idempotent;
}

/** One policy per request: the predicates need the request's idempotency and start time. */
export function requestRetryPolicy(profile: ProviderProfile, idempotent: boolean, startedAt: number): RetryPolicy {
  const { maxAttempts, initialDelayMs, maxDelayMs, maxTotalMs } = profile.retry;
  const left = () => maxTotalMs - (Date.now() - startedAt);
  const fits = (delay: number) => delay <= left();
  const expo = new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs });

  const policy = handleWhen((err) => retryableError(err, idempotent) && fits(initialDelayMs))
    .orWhenResult((r) => {
      const res = r as ProviderResponse;
      return retryableResponse(res, profile, idempotent) && fits(providerHint(res, profile) ?? initialDelayMs);
    });

  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown> | undefined>((ctx, state) => {
    const next = state ? state.next(ctx) : expo.next();
    const hint = 'value' in ctx.result ? providerHint(ctx.result.value as ProviderResponse, profile) : undefined;
    const delay = hint ?? Math.min(next.duration, Math.max(0, left()));
    return { delay, state: next };
  });

  return retry(policy, { maxAttempts: maxAttempts - 1, backoff });
}
