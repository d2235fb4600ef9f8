import type { Random } from './types.ts';

/**
 * The default retry schedule, as data (svix-style): the delay before retry
 * 1, 2, … After the last one the job is dead. 8 retries reach about 10 hours.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000,
];

export const DEFAULT_JITTER = 0.2;

/**
 * Delay before the next attempt after `failedAttempts` failures, or null when
 * the schedule is spent. A provider's Retry-After wins over the schedule (it
 * knows when it will take the call), capped at the schedule's longest step.
 */
export function nextDelay(
  schedule: readonly number[],
  failedAttempts: number,
  random: Random,
  opts: { jitter?: number; retryAfterMs?: number } = {},
): number | null {
  const base = schedule[failedAttempts - 1];
  if (base === undefined) return null;
  if (opts.retryAfterMs !== undefined && opts.retryAfterMs >= 0) {
    return Math.min(opts.retryAfterMs, Math.max(...schedule));
  }
  const jitter = opts.jitter ?? DEFAULT_JITTER;
  return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * random())));
}
