import type { TimeFormat } from './profile.ts';

/**
 * Reading the provider's own words about its limits: `Retry-After` and the
 * remaining/reset headers, in whichever time format the provider uses.
 */

/** `Retry-After` as seconds or an HTTP date (RFC 9110); `ms` for providers that send milliseconds. Returns ms from now. */
export function parseRetryAfter(value: string | null, format: 'seconds' | 'ms' = 'seconds', now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return Math.max(0, Math.round(format === 'ms' ? n : n * 1000));
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A reset header, as the absolute time (epoch ms) at which the quota comes back. */
export function parseReset(value: string | null, format: TimeFormat, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (format === 'http-date') {
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : at;
  }
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  switch (format) {
    case 'seconds': return now + n * 1000;
    case 'ms': return now + n;
    case 'epoch-seconds': return n * 1000;
    case 'epoch-ms': return n;
  }
}

export function parseRemaining(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}
