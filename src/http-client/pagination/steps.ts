import type { ProviderRequest } from '../types.ts';
import { parseLinkHeader } from './link-header.ts';
import { getPath, type Pagination } from './presets.ts';

/**
 * Per preset: how the first request is shaped and how the next one follows
 * from a page. Each step gets the request that produced the page, so the
 * caller's own filters and fields carry through.
 */
export interface PageContext {
  req: ProviderRequest;
  headers: Headers;
  body: unknown;
  items: unknown[];
  baseUrl: string;
  limit: number | undefined;
  itemFields: string | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function put(req: ProviderRequest, where: 'query' | 'body' | undefined, name: string, value: unknown): ProviderRequest {
  const inBody = where === 'body' || (where === undefined && isObject(req.body));
  if (inBody) return { ...req, body: { ...(isObject(req.body) ? req.body : {}), [name]: value } };
  return { ...req, query: { ...req.query, [name]: value as string } };
}

const present = (v: unknown): v is string | number => (typeof v === 'string' && v !== '') || typeof v === 'number';

export function firstRequest(p: Pagination, req: ProviderRequest, limit: number | undefined): ProviderRequest {
  if (limit === undefined) return p.preset === 'offset' ? { ...req, query: { ...req.query, [p.pageParam]: p.firstPage } } : req;
  switch (p.preset) {
    case 'cursor': return put(req, p.in, p.limitParam, limit);
    case 'page-token': return put(req, p.in, p.limitParam, limit);
    case 'has-more-cursor': return put(req, p.in, p.limitParam, limit);
    case 'starting-after': return put(req, 'query', p.limitParam, limit);
    case 'offset': return { ...req, query: { ...req.query, [p.pageParam]: p.firstPage, [p.perPageParam]: limit } };
    case 'link': return { ...req, query: { ...req.query, [p.perPageParam]: limit } };
    case 'next-url':
    case 'monday-items-page':
      return req;
  }
}

export function pageItems(p: Pagination, body: unknown, first: boolean): unknown[] {
  const path = p.preset === 'monday-items-page' ? `${first ? p.firstPath : p.nextPath}.items` : p.itemsPath;
  const items = getPath(body, path);
  return Array.isArray(items) ? items : [];
}

export function nextRequest(p: Pagination, c: PageContext, first: boolean): ProviderRequest | null {
  switch (p.preset) {
    case 'cursor': {
      const cursor = getPath(c.body, p.cursorPath);
      return present(cursor) ? put(c.req, p.in, p.cursorParam, String(cursor)) : null;
    }
    case 'page-token': {
      const token = getPath(c.body, p.nextPath);
      return present(token) ? put(c.req, p.in, p.tokenParam, String(token)) : null;
    }
    case 'has-more-cursor': {
      const cursor = getPath(c.body, p.nextPath);
      return getPath(c.body, p.hasMorePath) === true && present(cursor) ? put(c.req, p.in, p.cursorParam, String(cursor)) : null;
    }
    case 'starting-after': {
      const last = c.items.at(-1);
      const id = isObject(last) ? last[p.idField] : undefined;
      return getPath(c.body, p.hasMorePath) === true && present(id) ? put(c.req, 'query', p.cursorParam, String(id)) : null;
    }
    case 'offset': {
      const page = Number(c.req.query?.[p.pageParam] ?? p.firstPage);
      const total = Number(c.headers.get(p.totalPagesHeader));
      const more = Number.isFinite(total) && c.headers.has(p.totalPagesHeader) ? page < total + p.firstPage - 1 : c.items.length > 0 && c.items.length === c.limit;
      return more ? { ...c.req, query: { ...c.req.query, [p.pageParam]: page + 1 } } : null;
    }
    case 'link': {
      const next = parseLinkHeader(c.headers.get('link')).get('next');
      return next ? { ...c.req, path: new URL(next, c.baseUrl).href, query: {} } : null;
    }
    case 'next-url': {
      const next = getPath(c.body, p.nextPath);
      return present(next) ? { ...c.req, method: 'GET', path: new URL(String(next), c.baseUrl).href, query: {}, body: undefined } : null;
    }
    case 'monday-items-page': {
      const cursor = getPath(c.body, `${first ? p.firstPath : p.nextPath}.cursor`);
      if (!present(cursor)) return null;
      if (!c.itemFields) throw new Error('monday-items-page pagination needs `itemFields` to build next_items_page queries');
      const query = `query ($cursor: String!, $limit: Int) { next_items_page(cursor: $cursor, limit: $limit) { cursor items { ${c.itemFields} } } }`;
      return { ...c.req, body: { query, variables: { cursor: String(cursor), limit: c.limit ?? 100 } } };
    }
  }
}
