import { ProviderError } from '../../http-client/index.ts';
import type { ConnectorContext } from '../types.ts';

/**
 * WordPress REST plumbing shared by every collection: pages of
 * `page`/`per_page` with the total in `X-WP-TotalPages` (asking past the
 * last page is a 400 for post types, so the header decides when to stop),
 * error results in WordPress's `{code, message}` shape.
 */
export const MAX_PER_PAGE = 100;

export interface WpPage<T> { items: T[]; totalPages: number }

export async function getPage<T>(ctx: ConnectorContext, path: string, query: Record<string, string | number | undefined>, page: number, perPage: number): Promise<WpPage<T>> {
  const req = { method: 'GET', path, query: { ...query, page, per_page: Math.min(MAX_PER_PAGE, Math.max(1, perPage)) }, signal: ctx.signal };
  const res = await ctx.client.request(req);
  ctx.client.assertOk(req, res);
  const totalPages = Number(res.headers.get('x-wp-totalpages') ?? '1');
  return { items: res.json<T[]>() ?? [], totalPages: Number.isFinite(totalPages) ? totalPages : 1 };
}

/** One object, or undefined on WordPress's 404 (`rest_post_invalid_id`, `rest_term_invalid` …). */
export async function getOne<T>(ctx: ConnectorContext, path: string, query: Record<string, string> = {}): Promise<T | undefined> {
  try {
    return await ctx.client.json<T>({ method: 'GET', path, query, signal: ctx.signal });
  } catch (err) {
    if (err instanceof ProviderError && err.status === 404) return undefined;
    throw err;
  }
}

export function failure(err: unknown): { ok: false; error: string; retryable: boolean } {
  if (err instanceof ProviderError) {
    let detail: string | undefined;
    try {
      const body = err.response?.json<{ code?: string; message?: string }>();
      detail = body?.code ? `${body.code}: ${body.message ?? ''}` : undefined;
    } catch {
      detail = undefined;
    }
    return { ok: false, error: detail ? `${err.message} (${detail})` : err.message, retryable: err.status === 0 || err.status === 429 || err.status >= 500 };
  }
  return { ok: false, error: err instanceof Error ? err.message : String(err), retryable: false };
}

/** WordPress's GMT fields have no zone designator; they are UTC. */
export const gmt = (s: string | undefined | null): string => (s ? (/[zZ]|[+-]\d\d:\d\d$/.test(s) ? new Date(s).toISOString() : new Date(`${s}Z`).toISOString()) : '');

/** A cursor that is just the next page number. */
export const pageCursor = (page: number, totalPages: number): string | null => (page < totalPages ? String(page + 1) : null);
