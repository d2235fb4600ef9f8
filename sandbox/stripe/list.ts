import type { FastifyReply } from 'fastify';
import { invalidParam, sendStripeError } from './errors.ts';
import { str, type FormValue } from './form.ts';

/**
 * Stripe's cursor lists: newest first, `limit` 1–100 (default 10),
 * `starting_after` walks to older objects, `ending_before` to newer ones (the
 * page stays newest first), `has_more` says whether the walk can go on.
 */
export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export function limitOrReply(q: Record<string, FormValue>, reply: FastifyReply): number | undefined {
  const raw = str(q.limit);
  if (raw === undefined) return 10;
  if (!/^\d+$/.test(raw)) {
    invalidParam(reply, 'limit', `Invalid integer: ${raw}`);
    return undefined;
  }
  const n = Number(raw);
  if (n < 1 || n > 100) {
    invalidParam(reply, 'limit', 'This value must be greater than or equal to 1 and less than or equal to 100.');
    return undefined;
  }
  return n;
}

/** `created` may be an exact integer or `{gt, gte, lt, lte}`. */
export function createdMatcher(raw: FormValue | undefined): (created: number) => boolean {
  if (raw === undefined) return () => true;
  if (typeof raw === 'string') return (c) => c === Number(raw);
  if (Array.isArray(raw)) return () => true;
  const bound = (k: string) => (typeof raw[k] === 'string' ? Number(raw[k]) : undefined);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (c) => (gt === undefined || c > gt) && (gte === undefined || c >= gte) && (lt === undefined || c < lt) && (lte === undefined || c <= lte);
}

/**
 * Pages `oldestFirst` ids. The cursor is located in the unfiltered list so a
 * cursor object that no longer matches the filter still works.
 */
export function paginate<T>(
  reply: FastifyReply, oldestFirst: string[], get: (id: string) => T | undefined, keep: (item: T) => boolean,
  q: Record<string, FormValue>, url: string, resource: string,
): ListPage<T> | undefined {
  const limit = limitOrReply(q, reply);
  if (limit === undefined) return undefined;
  const after = str(q.starting_after);
  const before = str(q.ending_before);
  const newest = [...oldestFirst].reverse();
  const cursor = after ?? before;
  const at = cursor === undefined ? -1 : newest.indexOf(cursor);
  if (cursor !== undefined && at < 0) {
    sendStripeError(reply, 400, { type: 'invalid_request_error', code: 'resource_missing', param: after ? 'starting_after' : 'ending_before', message: `No such ${resource}: '${cursor}'` });
    return undefined;
  }
  const pick = (ids: string[]) => ids.map(get).filter((x): x is T => x !== undefined && keep(x));
  if (before !== undefined) {
    const newer = pick(newest.slice(0, at));
    const data = newer.slice(Math.max(0, newer.length - limit));
    return { object: 'list', data, has_more: newer.length > data.length, url };
  }
  const older = pick(newest.slice(at + 1));
  return { object: 'list', data: older.slice(0, limit), has_more: older.length > limit, url };
}
