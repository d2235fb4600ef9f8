import { parseLinkHeader } from '../../http-client/pagination/link-header.ts';
import type { ProviderRequest } from '../../http-client/index.ts';
import type { ConnectorContext } from '../types.ts';

/**
 * One page of a GitHub list per `list()` call. GitHub pages by number and
 * hands out the next page as a `Link: <…>; rel="next"` URL, which becomes
 * the cursor along with what the read must carry to its last page (the
 * watermark it started from, the newest stamp seen so far). The client
 * refuses a cursor URL on another origin, so a forged cursor cannot send
 * the token elsewhere.
 */
export interface CursorState {
  next: string;
  since: string | null;
  /** Newest change seen on earlier pages of this read (ISO time + ids at it). */
  mark?: string | null;
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorState {
  const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
  if (typeof c.next !== 'string' || !/^https?:\/\//.test(c.next)) throw new Error('github: not a cursor from this connector');
  return c;
}

export const MAX_PER_PAGE = 100;

export const signalOf = (ctx: ConnectorContext) => (ctx.signal ? { signal: ctx.signal } : {});

export async function fetchPage<T>(ctx: ConnectorContext, first: ProviderRequest, next: string | null, pageSize: number | undefined): Promise<{ body: T; next: string | null }> {
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(pageSize ?? MAX_PER_PAGE)));
  const req: ProviderRequest = next
    ? { method: 'GET', path: next, ...signalOf(ctx) }
    : { ...first, query: { ...first.query, per_page: perPage }, ...signalOf(ctx) };
  const res = await ctx.client.request(req);
  ctx.client.assertOk(req, res);
  return { body: res.json<T>(), next: parseLinkHeader(res.headers.get('link')).get('next') ?? null };
}

/** `GET` that answers undefined on 404 (GitHub's answer for missing and for invisible alike) or the other `absent` statuses. */
export async function getOrUndefined<T>(ctx: ConnectorContext, path: string, absent: readonly number[] = [404]): Promise<T | undefined> {
  const req: ProviderRequest = { method: 'GET', path, ...signalOf(ctx) };
  const res = await ctx.client.request(req);
  if (absent.includes(res.status)) return undefined;
  ctx.client.assertOk(req, res);
  return res.json<T>();
}
