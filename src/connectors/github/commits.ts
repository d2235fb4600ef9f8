import type { ChangePage, ConnectorContext, ListOptions, ModelSpec, RecordChange } from '../types.ts';
import { commitRecord, modifiedAt, type CommitRecord } from './normalise.ts';
import { decodeCursor, encodeCursor, fetchPage, getOrUndefined } from './paging.ts';
import { repoPath } from './params.ts';
import { commitSchema } from './schemas.ts';
import { advance, alreadySeen, finalWatermark, parseWatermark } from './watermark.ts';

/**
 * Commits of one repository's default branch (or `params.branch`), newest
 * first, incremental through `since` on the commit date. A commit's date is
 * set by whoever made it, so a commit pushed today with an older date (a
 * rebase, a late push) falls before the watermark: the push webhook is the
 * way to catch those. Commits are immutable and never deleted by the API.
 */
function branchQuery(ctx: ConnectorContext): Record<string, string> {
  const branch = ctx.params.branch;
  return typeof branch === 'string' && branch !== '' ? { sha: branch } : {};
}

async function list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<CommitRecord>> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const sinceRaw = cursor ? cursor.since : (opts.since ?? null);
  const since = parseWatermark(sinceRaw);
  const first = { method: 'GET', path: `${repoPath(ctx)}/commits`, query: { ...branchQuery(ctx), ...(since ? { since: since.time } : {}) } };
  const page = await fetchPage<Array<Record<string, any>>>(ctx, first, cursor?.next ?? null, opts.pageSize);
  let mark = cursor?.mark ?? null;
  const records: RecordChange<CommitRecord>[] = [];
  for (const raw of page.body) {
    const record = commitRecord(raw);
    const at = modifiedAt.commit(record);
    if (alreadySeen(since, record.id, at)) continue;
    mark = advance(mark, record.id, at);
    records.push({ id: record.id, record, modifiedAt: at });
  }
  if (page.next) return { records, deletedIds: [], nextCursor: encodeCursor({ next: page.next, since: sinceRaw, mark }) };
  return { records, deletedIds: [], nextCursor: null, watermark: finalWatermark(mark, since) };
}

async function get(ctx: ConnectorContext, sha: string): Promise<RecordChange<CommitRecord> | undefined> {
  if (!/^[0-9a-f]{7,40}$/i.test(sha)) throw new Error(`github: invalid commit sha ${JSON.stringify(sha)}`);
  // An unknown sha is a 422 ("No commit found for SHA"), not a 404.
  const raw = await getOrUndefined<Record<string, any>>(ctx, `${repoPath(ctx)}/commits/${sha}`, [404, 422]);
  if (!raw) return undefined;
  const record = commitRecord(raw);
  return { id: record.id, record, modifiedAt: modifiedAt.commit(record) };
}

export const commits: ModelSpec<CommitRecord> = {
  name: 'commits',
  description: 'Commits of a repository (params.owner, params.repo, optional params.branch); id is the sha; read-only',
  schema: commitSchema,
  batchLimit: 1,
  incremental: true,
  list,
  get,
};
