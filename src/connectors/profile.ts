import { resolveUrls, type AuthMode, type ProviderEntry, type ProviderOverrides } from '../catalog/index.ts';
import type { ProviderProfileInput } from '../http-client/index.ts';

type Pagination = NonNullable<ProviderProfileInput['pagination']>;

/** Catalog pagination presets in the client's vocabulary (defaults of each client preset fit its namesake provider). */
function pagination(entry: ProviderEntry): Pagination | undefined {
  const p = entry.pagination.params as Record<string, string | number | undefined>;
  const s = (k: string) => (typeof p[k] === 'string' ? { [k]: p[k] as string } : {});
  switch (entry.pagination.preset) {
    case 'cursor':
      return {
        preset: 'cursor', ...s('cursorParam'), ...s('itemsPath'), ...s('limitParam'),
        ...(typeof p.nextCursorPath === 'string' ? { cursorPath: p.nextCursorPath } : {}),
      } as Pagination;
    case 'offset':
    case 'page':
      return { preset: 'offset', ...s('itemsPath') } as Pagination;
    case 'link':
      return { preset: 'link', ...(typeof p.limitParam === 'string' ? { perPageParam: p.limitParam } : {}) } as Pagination;
    case 'next-records-url':
      return { preset: 'next-url', ...s('nextPath'), ...s('itemsPath') } as Pagination;
    case 'page-token':
      return { preset: 'page-token', ...(typeof p.cursorParam === 'string' ? { tokenParam: p.cursorParam } : {}), ...(typeof p.nextCursorPath === 'string' ? { nextPath: p.nextCursorPath } : {}), ...s('limitParam') } as Pagination;
    case 'notion-cursor':
      return { preset: 'has-more-cursor' } as Pagination;
    case 'stripe-cursor':
      return { preset: 'starting-after' } as Pagination;
    case 'monday-items-page':
      return { preset: 'monday-items-page' } as Pagination;
    default:
      return undefined;
  }
}

/**
 * Builds the HTTP client's profile for one connection from its catalog
 * entry: URLs resolved (templates, env overrides, the connection's own
 * overrides), the token presentation, and the rate limits that apply to
 * every call (limits scoped to one endpoint family, like HubSpot search,
 * are left to the connector). Each listed limit becomes its own bucket, so
 * the tightest one governs.
 */
export function profileFromCatalog(entry: ProviderEntry, opts: { authMode: AuthMode; connectionConfig: Record<string, unknown>; overrides?: ProviderOverrides }): ProviderProfileInput {
  const urls = resolveUrls(entry, opts.authMode, opts.connectionConfig as never, opts.overrides);
  const spec = entry.auth.find((a) => a.mode === opts.authMode);
  const th = entry.api.tokenHeader;
  const auth: ProviderProfileInput['auth'] = spec?.mode === 'basic'
    ? { style: 'basic' }
    : spec?.mode === 'api_key'
      ? (spec.in === 'query' ? { style: 'query', param: spec.name } : { style: 'header', header: spec.name, prefix: spec.prefix })
      : th.name.toLowerCase() === 'authorization' && th.prefix === 'Bearer ' ? { style: 'bearer' } : { style: 'header', header: th.name, prefix: th.prefix };
  // Daily quotas are left to the provider's own answer (a 429 the client honours): a proactive
  // bucket for them either paces calls across the whole day or, sized to the quota, mis-tracks it.
  const general = entry.rateLimits.limits.filter((l) => !l.appliesTo && l.durationMs < 86_400_000);
  const headers = entry.rateLimits.headers;
  const page = pagination(entry);
  return {
    provider: entry.id,
    baseUrl: urls.baseUrl,
    auth,
    defaultHeaders: { ...entry.api.headers },
    rateLimits: general.map((l, i) => ({ name: `${l.scope}-${i}`, points: Math.max(1, Math.floor(l.points)), durationMs: l.durationMs })),
    ...(headers.remaining ? { rateLimitHeaders: { remaining: headers.remaining, ...(headers.reset ? { reset: headers.reset } : {}), ...(headers.resetFormat ? { resetFormat: headers.resetFormat } : {}), rule: `${general[0]?.scope ?? 'account'}-0` } } : {}),
    retry: { statuses: [408, 500, 502, 503, 504, ...entry.rateLimits.limitedStatuses], retryAfterFormat: headers.retryAfterFormat === 'ms' ? 'ms' : 'seconds' },
    ...(page ? { pagination: page } : {}),
    // Stripe makes a POST safe to repeat with this header; other providers have no equivalent.
    ...(entry.id === 'stripe' ? { idempotencyHeader: 'Idempotency-Key' } : {}),
  };
}
