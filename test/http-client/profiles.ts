import type { ProviderProfileInput } from '../../src/http-client/index.ts';

/** Profiles as the catalog will describe these providers, pointed at a fake. */
export const hubspotProfile = (baseUrl: string, extra: Partial<ProviderProfileInput> = {}): ProviderProfileInput => ({
  provider: 'hubspot',
  baseUrl,
  auth: { style: 'bearer' },
  rateLimits: [{ name: 'burst', points: 100, durationMs: 10_000 }],
  rateLimitHeaders: { remaining: 'x-hubspot-ratelimit-remaining' },
  pagination: { preset: 'cursor' },
  ...extra,
});
