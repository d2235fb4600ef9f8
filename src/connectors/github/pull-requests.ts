import type { ChangePage, ConnectorContext, ListOptions, ModelSpec, RecordChange } from '../types.ts';
import { modifiedAt, pullRecord, type PullRecord } from './normalise.ts';
import { decodeCursor, encodeCursor, fetchPage, getOrUndefined } from './paging.ts';
import { numericId, repoPath } from './params.ts';
import { pullSchema } from './schemas.ts';
import { advance, alreadySeen, finalWatermark, parseWatermark } from './watermark.ts';

/**
 * Pull requests of one repository. The pulls API has no `since`, so an
 * incremental read sorts by updated time, newest first, and stops at the
 * first pull request older than the watermark. Read-only here: creating and
 * merging pull requests is not part of this connector.
 */
async function list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<PullRecord>> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const sinceRaw = cursor ? cursor.since : (opts.since ?? null);
  const since = parseWatermark(sinceRaw);
  const first = { method: 'GET', path: `${repoPath(ctx)}/pulls`, query: { state: 'all', sort: 'updated', direction: 'desc' } };
  const page = await fetchPage<Array<Record<string, any>>>(ctx, first, cursor?.next ?? null, opts.pageSize);
  let mark = cursor?.mark ?? null;
  let reachedOld = false;
  const records: RecordChange<PullRecord>[] = [];
  for (const raw of page.body) {
    const record = pullRecord(raw);
    const at = modifiedAt.pull(record);
    if (since && at < since.ms) {
      reachedOld = true;
      break;
    }
    if (alreadySeen(since, record.id, at)) continue;
    mark = advance(mark, record.id, at);
    records.push({ id: record.id, record, modifiedAt: at });
  }
  if (page.next && !reachedOld) return { records, deletedIds: [], nextCursor: encodeCursor({ next: page.next, since: sinceRaw, mark }) };
  return { records, deletedIds: [], nextCursor: null, watermark: finalWatermark(mark, since) };
}

async function get(ctx: ConnectorContext, id: string): Promise<RecordChange<PullRecord> | undefined> {
  const raw = await getOrUndefined<Record<string, any>>(ctx, `${repoPath(ctx)}/pulls/${numericId(id, 'pull request number')}`);
  if (!raw) return undefined;
  const record = pullRecord(raw);
  return { id: record.id, record, modifiedAt: modifiedAt.pull(record) };
}

export const pullRequests: ModelSpec<PullRecord> = {
  name: 'pull_requests',
  description: 'Pull requests of a repository (params.owner, params.repo); id is the pull request number; read-only',
  schema: pullSchema,
  batchLimit: 1,
  incremental: true,
  list,
  get,
};
