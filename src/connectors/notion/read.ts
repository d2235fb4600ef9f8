import { ProviderError } from '../../http-client/index.ts';
import type { ChangePage, ConnectorContext, ListOptions, RecordChange } from '../types.ts';
import { queryTargetOf } from './data-source.ts';
import { toChange, type NotionRecord, type RawPage } from './normalise.ts';

/**
 * Reads sorted by `last_edited_time` ascending, so the last record of the
 * last page is the newest edit and becomes the watermark. Notion rounds
 * edit times to the minute, so an incremental read asks `on_or_after` the
 * watermark: edits later in the same minute are not missed, and the records
 * that come back again are skipped by the engine's hash check. Trashed
 * pages drop out of queries, so deletions arrive by webhook only.
 */
const MAX_PAGE = 100;

/** The query path rides in the cursor so later pages skip the database lookup. */
interface Cursor { next: string; newest: string | null; path: string }

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
const decode = (s: string): Cursor => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;

export async function listPages(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<NotionRecord>> {
  const cursor = opts.cursor ? decode(opts.cursor) : undefined;
  const queryPath = cursor?.path ?? (await queryTargetOf(ctx)).queryPath;
  const since = opts.since ?? null;
  const res = await ctx.client.json<{ results: RawPage[]; has_more: boolean; next_cursor: string | null }>({
    method: 'POST', path: queryPath, idempotent: true, signal: ctx.signal,
    body: {
      page_size: Math.min(MAX_PAGE, Math.max(1, opts.pageSize ?? MAX_PAGE)),
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
      ...(since ? { filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: since } } } : {}),
      ...(cursor ? { start_cursor: cursor.next } : {}),
    },
  });
  const records: RecordChange<NotionRecord>[] = res.results.filter((p) => (p as { object?: string }).object !== 'data_source').map(toChange);
  let newest = cursor?.newest ?? since;
  for (const r of records) if (!newest || r.record.updatedAt > newest) newest = r.record.updatedAt;
  if (res.has_more && res.next_cursor) return { records, deletedIds: [], nextCursor: encode({ next: res.next_cursor, newest, path: queryPath }) };
  return { records, deletedIds: [], nextCursor: null, watermark: newest };
}

export async function getPage(ctx: ConnectorContext, id: string): Promise<RecordChange<NotionRecord> | undefined> {
  try {
    const page = await ctx.client.json<RawPage>({ method: 'GET', path: `/v1/pages/${encodeURIComponent(id)}`, signal: ctx.signal });
    const change = toChange(page);
    // A page of another database is not a record of this model.
    const { databaseId } = ctx.params as { databaseId?: string };
    const parent = page.parent?.database_id;
    if (parent && databaseId && parent.replace(/-/g, '') !== databaseId.replace(/-/g, '')) return undefined;
    return change;
  } catch (err) {
    if (err instanceof ProviderError && err.status === 404) return undefined;
    throw err;
  }
}
