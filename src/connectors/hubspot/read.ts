import type { ChangePage, ConnectorContext, ListOptions, RecordChange } from '../types.ts';
import { decodeCursor, encodeCursor, parseSince, type ReadState } from './cursor.ts';
import { readByIds, withSignal } from './fetch.ts';
import { modifiedAtOf, toChange, type HubSpotRecord, type RawObject } from './normalise.ts';
import { LIST_PAGE_MAX, SEARCH_BODY_MAX, SEARCH_PAGE_MAX, SEARCH_RESULT_CAP, type ObjectInfo } from './object-types.ts';
import { propertyNames } from './properties.ts';
import { paceSearch } from './search-pacing.ts';

/**
 * Reads of one object type. Without a watermark: the list endpoint, every
 * property. With one: search on the last-modified property (GTE, ascending),
 * restarting from the last seen time whenever a query reaches search's
 * 10,000-result cap, then the recycle bin (`archived=true`) for ids archived
 * since the watermark.
 *
 * The watermark handed back is the earlier of the newest change seen and the
 * read's start minus an overlap: search shows fresh writes only after a short
 * indexing delay and our clock is not HubSpot's, so each run re-reads the
 * last couple of minutes and the engine skips what did not change.
 */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;
/** Longer property lists than this do not go in a URL; records are read by id instead. */
const URL_PROPERTIES_MAX = 6_000;

interface ListBody {
  results: RawObject[];
  paging?: { next?: { after?: string } };
  total?: number;
}

const page = (records: RecordChange<HubSpotRecord>[], next: ReadState | null, watermark: string | undefined, deletedIds: string[] = []): ChangePage<HubSpotRecord> => ({
  records, deletedIds, nextCursor: next ? encodeCursor(next) : null, ...(watermark === undefined ? {} : { watermark }),
});

function watermarkOf(state: { start: number; since?: number; maxSeen?: number }): string {
  const safe = state.start - WATERMARK_OVERLAP_MS;
  const upTo = state.maxSeen === undefined ? safe : Math.min(state.maxSeen, safe);
  return new Date(Math.max(upTo, state.since ?? 0)).toISOString();
}

export async function listObjects(info: ObjectInfo, ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<HubSpotRecord>> {
  const names = await propertyNames(ctx, info.name);
  const state: ReadState = opts.cursor
    ? decodeCursor(opts.cursor)
    : opts.since
      ? { m: 'search', start: Date.now(), since: parseSince(opts.since), lo: parseSince(opts.since) }
      : { m: 'full', start: Date.now() };
  if (state.m === 'full') return fullPage(info, ctx, state, names, opts.pageSize);
  if (state.m === 'search') return searchPage(info, ctx, state, names, opts.pageSize);
  return archivedPage(info, ctx, state);
}

async function fullPage(info: ObjectInfo, ctx: ConnectorContext, state: Extract<ReadState, { m: 'full' }>, names: string[], pageSize?: number): Promise<ChangePage<HubSpotRecord>> {
  const joined = names.join(',');
  const inUrl = joined.length <= URL_PROPERTIES_MAX;
  const body = await ctx.client.json<ListBody>(withSignal(ctx, {
    method: 'GET', path: `/crm/v3/objects/${info.name}`,
    query: { limit: Math.min(pageSize ?? LIST_PAGE_MAX, LIST_PAGE_MAX), properties: inUrl ? joined : 'hs_object_id', ...(state.after ? { after: state.after } : {}) },
  }));
  const raws = inUrl ? body.results : await readByIds(ctx, info.name, body.results.map((r) => String(r.id)), names);
  const after = body.paging?.next?.after;
  const next: ReadState | null = after ? { ...state, after } : null;
  return page(raws.map((r) => toChange(info, r)), next, next ? undefined : watermarkOf(state));
}

type SearchState = Extract<ReadState, { m: 'search' }>;

function searchBody(info: ObjectInfo, state: SearchState, limit: number, properties: string[]): Record<string, unknown> {
  const lm = info.lastModified;
  // One millisecond holding more than the cap is walked by id within that millisecond.
  const filters = state.tie
    ? [{ propertyName: lm, operator: 'EQ', value: String(state.tie.at) }, { propertyName: 'hs_object_id', operator: 'GT', value: state.tie.afterId }]
    : [{ propertyName: lm, operator: 'GTE', value: String(state.lo) }];
  const sorts = [{ propertyName: state.tie ? 'hs_object_id' : lm, direction: 'ASCENDING' }];
  return { filterGroups: [{ filters }], sorts, properties, limit, ...(state.after ? { after: String(state.after) } : {}) };
}

async function searchPage(info: ObjectInfo, ctx: ConnectorContext, state: SearchState, names: string[], pageSize?: number): Promise<ChangePage<HubSpotRecord>> {
  const limit = Math.min(pageSize ?? LIST_PAGE_MAX, SEARCH_PAGE_MAX);
  let request = searchBody(info, state, limit, names);
  const fits = JSON.stringify(request).length <= SEARCH_BODY_MAX;
  if (!fits) request = searchBody(info, state, limit, [info.lastModified]);
  await paceSearch(ctx.client, searchRate(ctx), ctx.signal);
  const body = await ctx.client.json<ListBody>(withSignal(ctx, { method: 'POST', path: `/crm/v3/objects/${info.name}/search`, body: request, idempotent: true }));
  const raws = fits ? body.results : await readByIds(ctx, info.name, body.results.map((r) => String(r.id)), names);
  const records = raws.map((r) => toChange(info, r));
  const last = body.results.at(-1);
  const lastModified = last ? modifiedAtOf(info, last) : undefined;
  const maxSeen = Math.max(state.maxSeen ?? -Infinity, ...records.map((r) => r.modifiedAt));
  const seen = Number.isFinite(maxSeen) ? { maxSeen } : {};
  const nextAfter = body.paging?.next?.after === undefined ? undefined : Number(body.paging.next.after);
  const reached = (state.after ?? 0) + body.results.length;
  const capped = last !== undefined && (nextAfter !== undefined ? nextAfter >= SEARCH_RESULT_CAP : (body.total ?? 0) > reached);

  let next: ReadState | null;
  if (nextAfter !== undefined && !capped) {
    next = { ...state, ...seen, after: nextAfter };
  } else if (capped && last && lastModified !== undefined) {
    next = continueAfterCap(state, last, lastModified, seen);
  } else if (state.tie) {
    // The crowded millisecond is done; carry on strictly after it.
    next = { m: 'search', start: state.start, since: state.since, lo: state.tie.at + 1, ...seen };
  } else {
    next = { m: 'archived', start: state.start, since: state.since, ...seen };
  }
  return page(records, next, undefined);
}

/** A new search from the last seen time (GTE: equal times are read again and skipped by the engine's hash). */
function continueAfterCap(state: SearchState, last: RawObject, lastModified: number, seen: { maxSeen?: number }): ReadState {
  const base = { m: 'search' as const, start: state.start, since: state.since, ...seen };
  if (state.tie) return { ...base, lo: state.tie.at, tie: { at: state.tie.at, afterId: String(last.id) } };
  if (lastModified > state.lo) return { ...base, lo: lastModified };
  return { ...base, lo: state.lo, tie: { at: state.lo, afterId: String(last.id) } };
}

type ArchivedState = Extract<ReadState, { m: 'archived' }>;

/** The recycle bin has no time filter: it is walked whole and cut by `archivedAt`. */
async function archivedPage(info: ObjectInfo, ctx: ConnectorContext, state: ArchivedState): Promise<ChangePage<HubSpotRecord>> {
  const body = await ctx.client.json<ListBody>(withSignal(ctx, {
    method: 'GET', path: `/crm/v3/objects/${info.name}`,
    query: { archived: true, limit: LIST_PAGE_MAX, properties: 'hs_object_id', ...(state.after ? { after: state.after } : {}) },
  }));
  const deleted = body.results.filter((r) => Date.parse(r.archivedAt ?? r.updatedAt) >= state.since).map((r) => String(r.id));
  const after = body.paging?.next?.after;
  const next: ReadState | null = after ? { ...state, after } : null;
  return page([], next, next ? undefined : watermarkOf(state), deleted);
}

function searchRate(ctx: ConnectorContext): number | undefined {
  const v = ctx.connection.config.searchRequestsPerSecond;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

export async function getObject(info: ObjectInfo, ctx: ConnectorContext, id: string): Promise<RecordChange<HubSpotRecord> | undefined> {
  const names = await propertyNames(ctx, info.name);
  const joined = names.join(',');
  const req = withSignal(ctx, { method: 'GET', path: `/crm/v3/objects/${info.name}/${encodeURIComponent(id)}`, query: { properties: joined.length <= URL_PROPERTIES_MAX ? joined : 'hs_object_id' } });
  const res = await ctx.client.request(req);
  if (res.status === 404) return undefined;
  ctx.client.assertOk(req, res);
  const raw = joined.length <= URL_PROPERTIES_MAX ? res.json<RawObject>() : (await readByIds(ctx, info.name, [id], names))[0];
  return raw && raw.archived !== true ? toChange(info, raw) : undefined;
}
