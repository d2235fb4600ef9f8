import type { ChangePage, ConnectorContext, ListOptions, ModelSpec, RecordChange } from '../types.ts';
import { searchRecord, type SearchRecord } from './normalise.ts';
import { decodeCursor, encodeCursor, fetchPage, getOrUndefined } from './paging.ts';
import { numericId, repoPath } from './params.ts';
import { searchSchema } from './schemas.ts';
import { advance, alreadySeen, finalWatermark, parseWatermark } from './watermark.ts';

/**
 * Issues and pull requests matching a search (`params.q`, GitHub search
 * syntax), across repositories. Incremental by adding `updated:>=<time>` to
 * the query. Search returns at most 1,000 results per query and has its own
 * tighter rate limit (30 a minute). Hits are keyed `owner/repo#number`,
 * which is unique across repositories and enough to read one back.
 */
function query(ctx: ConnectorContext): string {
  const q = ctx.params.q;
  if (typeof q !== 'string' || q.trim() === '') throw new Error('github issue_search: params.q is required');
  return q.trim();
}

async function list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<SearchRecord>> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const sinceRaw = cursor ? cursor.since : (opts.since ?? null);
  const since = parseWatermark(sinceRaw);
  const q = since ? `${query(ctx)} updated:>=${since.time}` : query(ctx);
  const first = { method: 'GET', path: '/search/issues', query: { q, sort: 'updated', order: 'desc' } };
  const page = await fetchPage<{ items: Array<Record<string, any>> }>(ctx, first, cursor?.next ?? null, opts.pageSize);
  let mark = cursor?.mark ?? null;
  const records: RecordChange<SearchRecord>[] = [];
  for (const raw of page.body.items ?? []) {
    const record = searchRecord(raw);
    const at = Date.parse(record.updatedAt);
    if (alreadySeen(since, record.id, at)) continue;
    mark = advance(mark, record.id, at);
    records.push({ id: record.id, record, modifiedAt: at });
  }
  if (page.next) return { records, deletedIds: [], nextCursor: encodeCursor({ next: page.next, since: sinceRaw, mark }) };
  return { records, deletedIds: [], nextCursor: null, watermark: finalWatermark(mark, since) };
}

async function get(ctx: ConnectorContext, id: string): Promise<RecordChange<SearchRecord> | undefined> {
  const m = /^([^/#]+)\/([^/#]+)#(\d+)$/.exec(id);
  if (!m) throw new Error(`github issue_search: id ${JSON.stringify(id)} is not owner/repo#number`);
  const path = repoPath({ ...ctx, params: { owner: m[1], repo: m[2] } });
  const raw = await getOrUndefined<Record<string, any>>(ctx, `${path}/issues/${numericId(m[3]!, 'issue number')}`);
  if (!raw) return undefined;
  const record = searchRecord(raw);
  return { id: record.id, record, modifiedAt: Date.parse(record.updatedAt) };
}

export const issueSearch: ModelSpec<SearchRecord> = {
  name: 'issue_search',
  description: 'Issues and pull requests matching params.q (GitHub search syntax); id is owner/repo#number; read-only',
  schema: searchSchema,
  batchLimit: 1,
  incremental: true,
  list,
  get,
};
