/**
 * Tunables of the GitHub fake. Defaults follow PROVIDERS.md §4; the window
 * sizes exist so a test can exhaust and recover a budget in a second.
 */
export interface GithubKnobs {
  /** Primary limit for user tokens (PAT, OAuth): 5,000/h. */
  userLimit: number;
  /** Installation tokens start at 5,000/h. */
  installationLimit: number;
  /** Unauthenticated callers get 60/h per IP. */
  unauthenticatedLimit: number;
  /** The search resource has its own budget: 30/min for authenticated callers. */
  searchLimit: number;
  /** Length of the primary ("core") window; GitHub's is one hour. */
  coreWindowMs: number;
  /** Length of the search window; GitHub's is one minute. */
  searchWindowMs: number;
  /** GitHub answers an exhausted primary limit with 403 or 429; both happen in the wild. */
  rateLimitStatus: 403 | 429;
  /** Installation access tokens live one hour. */
  installationTokenTtlSec: number;
  /** App JWTs may not reach further than 10 minutes into the future. */
  maxJwtLifetimeSec: number;
  /** Allowed clock drift when checking `iat`, in seconds. */
  jwtClockSkewSec: number;
  /** Search results stop at 1,000 items however many match. */
  searchResultCap: number;
}

export const defaultGithubKnobs = (): GithubKnobs => ({
  userLimit: 5000,
  installationLimit: 5000,
  unauthenticatedLimit: 60,
  searchLimit: 30,
  coreWindowMs: 3_600_000,
  searchWindowMs: 60_000,
  rateLimitStatus: 403,
  installationTokenTtlSec: 3600,
  maxJwtLifetimeSec: 600,
  jwtClockSkewSec: 60,
  searchResultCap: 1000,
});
