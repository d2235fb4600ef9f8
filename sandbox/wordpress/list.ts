import type { FastifyReply, FastifyRequest } from 'fastify';
import { wpError, type WpError } from './auth.ts';

/**
 * WordPress collection paging: `page`, `per_page` (1..100, default 10) and
 * `offset`; `X-WP-Total`, `X-WP-TotalPages` and a `Link` header with
 * rel="prev"/"next" that keeps the request's other query arguments.
 */
export type Query = Record<string, string | undefined>;

export function invalidParam(name: string, message: string, code = 'rest_invalid_param'): WpError {
  return wpError('rest_invalid_param', `Invalid parameter(s): ${name}`, 400, {
    params: { [name]: message },
    details: { [name]: { code: code === 'rest_invalid_param' ? 'rest_invalid_type' : code, message, data: null } },
  });
}

export function readPaging(q: Query): { page: number; perPage: number; offset?: number } | WpError {
  const page = q.page === undefined ? 1 : Number(q.page);
  if (!Number.isInteger(page)) return invalidParam('page', 'page is not of type integer.');
  if (page < 1) return invalidParam('page', 'page must be greater than or equal to 1', 'rest_out_of_bounds');
  const perPage = q.per_page === undefined ? 10 : Number(q.per_page);
  if (!Number.isInteger(perPage)) return invalidParam('per_page', 'per_page is not of type integer.');
  if (perPage < 1 || perPage > 100) return invalidParam('per_page', 'per_page must be between 1 (inclusive) and 100 (inclusive)', 'rest_out_of_bounds');
  if (q.offset === undefined) return { page, perPage };
  const offset = Number(q.offset);
  if (!Number.isInteger(offset) || offset < 0) return invalidParam('offset', 'offset is not of type integer.');
  return { page, perPage, offset };
}

/** Slices one page, sets the headers, or returns the page-out-of-range error when `invalidPageCode` is given. */
export function paginate<T>(req: FastifyRequest, reply: FastifyReply, collectionUrl: string, items: T[], invalidPageCode?: string): T[] | WpError {
  const q = req.query as Query;
  const paging = readPaging(q);
  if ('code' in paging) return paging;
  const { page, perPage, offset } = paging;
  const total = items.length;
  const totalPages = Math.ceil(total / perPage);
  if (invalidPageCode && page > totalPages && total > 0) {
    return wpError(invalidPageCode, 'The page number requested is larger than the number of pages available.', 400);
  }
  const start = offset ?? (page - 1) * perPage;
  reply.header('X-WP-Total', String(total));
  reply.header('X-WP-TotalPages', String(totalPages));
  const link = (n: number) => {
    const u = new URL(collectionUrl);
    for (const [k, v] of Object.entries(q)) if (k !== 'page' && v !== undefined) u.searchParams.set(k, v);
    u.searchParams.set('page', String(n));
    return u.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${link(Math.min(page - 1, Math.max(totalPages, 1)))}>; rel="prev"`);
  if (page < totalPages) links.push(`<${link(page + 1)}>; rel="next"`);
  if (links.length > 0) reply.header('Link', links.join(', '));
  return items.slice(start, start + perPage);
}
