import type { ChangePage, ConnectorContext, ListOptions, RecordChange } from '../types.ts';
import { datetimeFields, describeObject, selectableFields } from './describe.ts';
import { modifiedAtOf, normaliseRecord, type SfRecord } from './normalise.ts';
import { changesQuery, deletedQuery } from './soql.ts';
import { nextWatermark, parseWatermark } from './watermark.ts';

/**
 * Reads: one SOQL query per list, ordered by SystemModstamp, paged by
 * `nextRecordsUrl`. The cursor carries the next-records URL and the
 * watermark the read started from, so a page can be fetched without the
 * caller repeating `since`. Deleted ids come from `queryAll` (the recycle
 * bin, about 15 days) on the last page of an incremental read.
 */
interface QueryPage {
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

interface Cursor {
  next: string;
  since: string | null;
}

const MIN_BATCH = 200;
const MAX_BATCH = 2000;

function queryHeaders(pageSize: number | undefined): Record<string, string> {
  if (pageSize === undefined) return {};
  return { 'Sforce-Query-Options': `batchSize=${Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.floor(pageSize)))}` };
}

/** nextRecordsUrl is a path from the instance root; the client wants an absolute URL for paths outside its base. */
function absolute(ctx: ConnectorContext, path: string): string {
  return new URL(path, ctx.client.profile.baseUrl).href;
}

function decodeCursor(cursor: string): Cursor {
  const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
  if (typeof parsed.next !== 'string' || !parsed.next.startsWith('/services/data/')) throw new Error('salesforce: not a cursor from this connector');
  return parsed;
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

const signalOf = (ctx: ConnectorContext) => (ctx.signal ? { signal: ctx.signal } : {});

export async function listChanges(ctx: ConnectorContext, object: string, opts: ListOptions): Promise<ChangePage<SfRecord>> {
  const info = await describeObject(ctx, object);
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const sinceRaw = cursor ? cursor.since : (opts.since ?? null);
  const since = parseWatermark(sinceRaw);
  const headers = queryHeaders(opts.pageSize);
  const page = cursor
    ? await ctx.client.json<QueryPage>({ method: 'GET', path: absolute(ctx, cursor.next), headers, ...signalOf(ctx) })
    : await ctx.client.json<QueryPage>({ method: 'GET', path: '/query', query: { q: changesQuery(info.name, selectableFields(info), since?.time ?? null) }, headers, ...signalOf(ctx) });

  const dates = datetimeFields(info);
  const sinceMs = since ? Date.parse(since.time) : Number.NaN;
  const records: RecordChange<SfRecord>[] = [];
  for (const raw of page.records) {
    const record = normaliseRecord(raw, dates);
    const modifiedAt = modifiedAtOf(raw);
    if (since && modifiedAt === sinceMs && since.seen.has(record.id)) continue;
    records.push({ id: record.id, record, modifiedAt });
  }

  if (!page.done && page.nextRecordsUrl) {
    return { records, deletedIds: [], nextCursor: encodeCursor({ next: page.nextRecordsUrl, since: sinceRaw }) };
  }
  const deletedIds = since ? await deletedSince(ctx, info.name, since.time, headers) : [];
  return { records, deletedIds, nextCursor: null, watermark: nextWatermark(since, records) };
}

async function deletedSince(ctx: ConnectorContext, object: string, since: string, headers: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  const req = { method: 'GET', path: '/queryAll', query: { q: deletedQuery(object, since) }, headers, ...signalOf(ctx) };
  for await (const page of ctx.client.pages<{ Id: string }>(req, { pagination: { preset: 'next-url' } })) {
    for (const r of page.items) ids.push(r.Id);
  }
  return ids;
}

export async function getRecord(ctx: ConnectorContext, object: string, id: string): Promise<RecordChange<SfRecord> | undefined> {
  const info = await describeObject(ctx, object);
  const path = `/sobjects/${encodeURIComponent(info.name)}/${encodeURIComponent(id)}`;
  const res = await ctx.client.request({ method: 'GET', path, query: { fields: selectableFields(info).join(',') }, ...signalOf(ctx) });
  if (res.status === 404) return undefined;
  ctx.client.assertOk({ method: 'GET', path }, res);
  const raw = res.json<Record<string, unknown>>();
  const record = normaliseRecord(raw, datetimeFields(info));
  return { id: record.id, record, modifiedAt: modifiedAtOf(raw) };
}
