import { z } from 'zod';
import { paginationSchema } from './pagination/presets.ts';

/**
 * Everything the client needs to know about one provider, as plain data. The
 * catalog (YAML) will produce these; tests write them inline. Parsing fails
 * loudly on an unknown key, so a typo in the catalog never becomes a silent
 * default.
 */

const authSchema = z.discriminatedUnion('style', [
  /** `Authorization: Bearer <token>` (HubSpot, Salesforce, Notion, Stripe, Google). */
  z.strictObject({ style: z.literal('bearer') }),
  /** `Authorization: token <token>` (GitHub's classic form). */
  z.strictObject({ style: z.literal('token') }),
  /** A header of the provider's choosing, raw or with a prefix (Monday sends the raw token in `Authorization`). */
  z.strictObject({ style: z.literal('header'), header: z.string().min(1), prefix: z.string().default('') }),
  /** HTTP Basic; the token value is `user:password` (WordPress application passwords, Stripe keys). */
  z.strictObject({ style: z.literal('basic') }),
  /** A query parameter (legacy HubSpot `hapikey`). Never echoed into errors or hooks. */
  z.strictObject({ style: z.literal('query'), param: z.string().min(1) }),
]);

const rateLimitRuleSchema = z.strictObject({
  /** Names the bucket in keys and metrics, e.g. `burst`, `daily`, `complexity`. */
  name: z.string().min(1).default('default'),
  /** How many requests (or cost points) the provider allows per `durationMs`. */
  points: z.number().int().positive(),
  durationMs: z.number().int().positive(),
  /** Tokens the bucket may hold at once; defaults to 3% of `points` (see docs/http-client.md for why it is small). */
  burst: z.number().int().positive().optional(),
  /** When true a request spends its cost (the `cost` request option or client cost function) instead of 1. */
  costed: z.boolean().default(false),
});

const timeFormat = z.enum(['seconds', 'epoch-seconds', 'epoch-ms', 'ms', 'http-date']);

const rateLimitHeadersSchema = z.strictObject({
  /** Header holding the provider's remaining quota, e.g. `x-hubspot-ratelimit-remaining`. */
  remaining: z.string().min(1).optional(),
  /** Header saying when the quota resets, e.g. `x-ratelimit-reset`. */
  reset: z.string().min(1).optional(),
  resetFormat: timeFormat.default('epoch-seconds'),
  /** Which rule (by name) the headers describe; defaults to the first. */
  rule: z.string().optional(),
});

const retrySchema = z.strictObject({
  /** Statuses worth another attempt. 403 counts only when the remaining header says 0 (GitHub's primary limit). */
  statuses: z.array(z.number().int()).default([408, 429, 500, 502, 503, 504]),
  /** Total attempts including the first. */
  maxAttempts: z.number().int().min(1).default(5),
  initialDelayMs: z.number().int().positive().default(200),
  maxDelayMs: z.number().int().positive().default(30_000),
  /** No retry is scheduled that would end later than this after the first attempt began. */
  maxTotalMs: z.number().int().positive().default(120_000),
  retryAfterFormat: z.enum(['seconds', 'ms']).default('seconds'),
});

const timeoutsSchema = z.strictObject({
  /** Connect plus waiting for the response headers. */
  headersMs: z.number().int().positive().default(30_000),
  /** Reading the whole response body once the headers are in. */
  bodyMs: z.number().int().positive().default(60_000),
});

const breakerSchema = z.strictObject({
  /** Consecutive failed attempts (network error, timeout, 5xx) that open the circuit. */
  consecutiveFailures: z.number().int().positive().default(5),
  /** How long the circuit stays open before one probe is let through. */
  halfOpenAfterMs: z.number().int().positive().default(30_000),
});

export const providerProfileSchema = z.strictObject({
  provider: z.string().min(1),
  baseUrl: z.url(),
  auth: authSchema,
  defaultHeaders: z.record(z.string(), z.string()).default({}),
  rateLimits: z.array(rateLimitRuleSchema).default([]),
  /** Allowance for network jitter between our clock and the provider's window (ms); default max(50, 2% of the window). */
  rateLimitJitterMs: z.number().int().nonnegative().optional(),
  rateLimitHeaders: rateLimitHeadersSchema.optional(),
  /** Header that makes a POST safe to repeat (Stripe `Idempotency-Key`). */
  idempotencyHeader: z.string().optional(),
  retry: retrySchema.default(retrySchema.parse({})),
  timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
  breaker: breakerSchema.default(breakerSchema.parse({})),
  pagination: paginationSchema.optional(),
});

export type ProviderProfileInput = z.input<typeof providerProfileSchema>;
export type ProviderProfile = z.output<typeof providerProfileSchema>;
export type RateLimitRule = ProviderProfile['rateLimits'][number];
export type TimeFormat = z.output<typeof timeFormat>;

/** Validates and fills defaults; throws a zod error naming the bad field. */
export function parseProfile(input: unknown): ProviderProfile {
  return providerProfileSchema.parse(input);
}
