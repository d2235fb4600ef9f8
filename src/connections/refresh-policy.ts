/**
 * When to refresh and how hard to try, as data. The backoff schedule is
 * indexed by consecutive failures (the last entry repeats).
 */
export interface RefreshPolicy {
  /** Refresh this long before expiry, so callers never get a token about to die. */
  marginMs: number;
  /** The cross-process refresh lease; longer than any token request may take. */
  leaseMs: number;
  /** How often a process that lost the lease looks again. */
  pollMs: number;
  backoffMs: number[];
  /** Consecutive failures, the last being invalid_grant, before the connection needs re-authorization. */
  reauthAfter: number;
}

export const DEFAULT_REFRESH_POLICY: RefreshPolicy = {
  marginMs: 5 * 60_000,
  leaseMs: 30_000,
  pollMs: 25,
  backoffMs: [15_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000],
  reauthAfter: 3,
};

export function backoffFor(policy: RefreshPolicy, failures: number): number {
  const i = Math.min(Math.max(failures, 1), policy.backoffMs.length) - 1;
  return policy.backoffMs[i] ?? 60_000;
}

/** When the background refresher should next look at a token (null: never expires). */
export const nextRefreshAt = (policy: RefreshPolicy, expiresAt: number | null): number | null => (expiresAt === null ? null : expiresAt - policy.marginMs);

export function needsRefresh(policy: RefreshPolicy, expiresAt: number | null | undefined, now: number): boolean {
  if (expiresAt === undefined) return true;
  if (expiresAt === null) return false;
  return expiresAt - policy.marginMs <= now;
}
