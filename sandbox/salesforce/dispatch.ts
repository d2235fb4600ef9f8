import { notFound, type SfResult } from './errors.ts';
import { createRecord, deleteRecord, getRecord, query, updateRecord, upsertRecord } from './operations.ts';
import { describe, objectDef } from './schema.ts';
import { apiBase, type SfCtx } from './state.ts';

/**
 * Routes one composite subrequest (`{method, url, body}`) to the same
 * operations the HTTP routes use, without a second trip through HTTP: the
 * whole composite call counts as one API request, as Salesforce counts it.
 */
export function dispatch(ctx: SfCtx, method: string, url: string, body: unknown): SfResult {
  const u = new URL(url, 'http://composite.invalid');
  const m = /^\/services\/data\/v(\d+)\.0(\/.*)$/.exec(u.pathname);
  if (!m) return notFound();
  const version = Number(m[1]);
  const base = apiBase(version.toFixed(1));
  const parts = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  const verb = method.toUpperCase();
  if (parts[0] === 'query' && parts.length === 1 && verb === 'GET') {
    return query(ctx, base, u.searchParams.get('q') ?? undefined, false, ctx.knobs.queryBatchSize);
  }
  if (parts[0] === 'queryAll' && parts.length === 1 && verb === 'GET') {
    return query(ctx, base, u.searchParams.get('q') ?? undefined, true, ctx.knobs.queryBatchSize);
  }
  if (parts[0] !== 'sobjects' || !parts[1]) return notFound();
  const [, type, second, third] = parts as [string, string, string?, string?];
  if (parts.length === 2 && verb === 'POST') return createRecord(ctx, type, body);
  if (parts.length === 3 && second === 'describe' && verb === 'GET') {
    const obj = objectDef(type);
    return obj ? { status: 200, body: describe(obj, base) } : notFound();
  }
  if (parts.length === 3 && second) {
    if (verb === 'GET') return getRecord(ctx, base, type, second, u.searchParams.get('fields') ?? undefined);
    if (verb === 'PATCH') return updateRecord(ctx, type, second, body);
    if (verb === 'DELETE') return deleteRecord(ctx, type, second);
  }
  if (parts.length === 4 && second && third !== undefined && verb === 'PATCH') return upsertRecord(ctx, version, type, second, third, body);
  return notFound();
}
