import { ProviderError } from '../../http-client/index.ts';

/** Stripe's list envelope. */
export interface StripeList<T> { object: 'list'; data: T[]; has_more: boolean }

export interface StripeEvent {
  id: string;
  type: string;
  created: number;
  api_version?: string | null;
  data: { object: { id?: string; object?: string; [k: string]: unknown }; previous_attributes?: Record<string, unknown> };
  request?: { id: string | null; idempotency_key: string | null } | null;
}

export const MAX_LIMIT = 100;

export const isoOf = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString();

/**
 * Watermarks are ISO times of Stripe's own `created` stamps (whole seconds);
 * a bare number is read as unix seconds too, for callers that kept Stripe's form.
 */
export function sinceSeconds(since: string): number {
  const n = /^\d+$/.test(since) ? Number(since) : Math.floor(Date.parse(since) / 1000);
  if (!Number.isFinite(n)) throw new Error(`stripe: watermark ${since} is neither an ISO time nor unix seconds`);
  return n;
}

export function failure(err: unknown): { ok: false; error: string; retryable: boolean } {
  if (err instanceof ProviderError) {
    let detail: string | undefined;
    try {
      detail = err.response?.json<{ error?: { message?: string } }>()?.error?.message;
    } catch {
      detail = undefined;
    }
    return { ok: false, error: detail ? `${err.message}: ${detail}` : err.message, retryable: err.status === 0 || err.status === 429 || err.status >= 500 };
  }
  return { ok: false, error: err instanceof Error ? err.message : String(err), retryable: false };
}

/** Cursor helpers: opaque base64url JSON. */
export const encodeCursor = (c: unknown): string => Buffer.from(JSON.stringify(c)).toString('base64url');
export const decodeCursor = <T>(s: string): T => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as T;
