import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Page-number pagination with GitHub's `Link` header: `per_page` defaults to
 * 30 and is capped at 100, and the header lists prev, next, last, first in
 * that order, omitting the ones that do not apply.
 */
export interface PageParams {
  page: number;
  perPage: number;
}

export function pageParams(query: Record<string, unknown>, defaultPerPage = 30, max = 100): PageParams {
  const per = Number(query.per_page);
  const page = Number(query.page);
  return {
    perPage: Number.isInteger(per) && per > 0 ? Math.min(per, max) : defaultPerPage,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** Builds the Link header. `path` is the canonical path GitHub links to (e.g. `/repositories/{id}/issues`). */
export function linkHeader(base: string, path: string, query: Record<string, unknown>, p: PageParams, total: number): string | undefined {
  const lastPage = Math.max(1, Math.ceil(total / p.perPage));
  const url = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k === 'page' || v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
    }
    q.set('page', String(page));
    return `<${base}${path}?${q.toString()}>`;
  };
  const parts: string[] = [];
  if (p.page > 1) parts.push(`${url(Math.min(p.page - 1, lastPage))}; rel="prev"`);
  if (p.page < lastPage) {
    parts.push(`${url(p.page + 1)}; rel="next"`);
    parts.push(`${url(lastPage)}; rel="last"`);
  }
  if (p.page > 1) parts.push(`${url(1)}; rel="first"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Slices `items` for the request's page and sets the Link header. */
export function sendPage<T>(req: FastifyRequest, reply: FastifyReply, base: string, path: string, items: T[], defaultPerPage = 30): T[] {
  const q = req.query as Record<string, unknown>;
  const p = pageParams(q, defaultPerPage);
  const link = linkHeader(base, path, q, p, items.length);
  if (link) reply.header('link', link);
  return items.slice((p.page - 1) * p.perPage, p.page * p.perPage);
}
