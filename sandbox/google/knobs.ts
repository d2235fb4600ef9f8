/**
 * Tunables of the Google fake. Defaults follow PROVIDERS.md §6; the items
 * marked UNCONFIRMED there are knobs so a test can try either behaviour.
 */
export interface GoogleKnobs {
  /** Read requests per minute per user per project: 60. */
  readPerMinutePerUser: number;
  /** Write requests per minute per user per project: 60. */
  writePerMinutePerUser: number;
  /** The quota window; a minute on Google, shorter in tests. */
  quotaWindowMs: number;
  /** Omit trailing empty rows and cells in value responses (UNCONFIRMED, believed true). */
  trimTrailingEmpty: boolean;
  /** Audiences a service-account assertion may name besides the fake's own token URL. */
  acceptedAudiences: string[];
  /** Longest assertion lifetime (exp - iat) Google accepts: one hour. */
  maxAssertionLifetimeSec: number;
  /** Default and longest channel lifetime for file watches (UNCONFIRMED: 3600 s / 86400 s). */
  channelDefaultTtlSec: number;
  channelMaxTtlSec: number;
  /** Retry delays for push notifications that get a non-2xx (UNCONFIRMED: Google backs off exponentially). */
  pushRetryDelaysMs: number[];
}

export const defaultGoogleKnobs = (): GoogleKnobs => ({
  readPerMinutePerUser: 60,
  writePerMinutePerUser: 60,
  quotaWindowMs: 60_000,
  trimTrailingEmpty: true,
  acceptedAudiences: ['https://oauth2.googleapis.com/token', 'https://www.googleapis.com/oauth2/v4/token'],
  maxAssertionLifetimeSec: 3600,
  channelDefaultTtlSec: 3600,
  channelMaxTtlSec: 86_400,
  pushRetryDelaysMs: [100, 200, 400],
});
