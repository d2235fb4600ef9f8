import type { ChangePage, ConnectorContext, DeleteResult, ListOptions, ModelSpec, RecordChange, UpsertInput, UpsertResult } from '../types.ts';
import { issueRecord, modifiedAt, type IssueRecord } from './normalise.ts';
import { decodeCursor, encodeCursor, fetchPage, getOrUndefined, signalOf } from './paging.ts';
import { numericId, repoPath } from './params.ts';
import { issueSchema } from './schemas.ts';
import { advance, alreadySeen, finalWatermark, parseWatermark } from './watermark.ts';
import { writeFailure } from './write-results.ts';

/**
 * Issues of one repository (`params.owner`, `params.repo`), pull requests
 * left out (the issues API lists them too, marked by `pull_request`).
 * Incremental through `since` with state=all, newest first: an item updated
 * while a read pages moves to the front, so later pages can repeat an item
 * but never skip one, and its new stamp is caught by the next read. GitHub
 * cannot list deleted issues, so `deletedIds` is always empty (webhooks say
 * `deleted`). GitHub has no REST delete for issues: `delete` closes the
 * issue as not planned.
 */
const WRITABLE = ['title', 'body', 'state', 'stateReason', 'labels', 'assignees', 'milestone'] as const;

function issueBody(record: Partial<IssueRecord> & Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) {
    if (record[key] === undefined) continue;
    // A listed issue names its milestone by title; the API takes its number, so a title is not sent back.
    if (key === 'milestone' && typeof record[key] === 'string') continue;
    out[key === 'stateReason' ? 'state_reason' : key] = record[key];
  }
  return out;
}

async function list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<IssueRecord>> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const sinceRaw = cursor ? cursor.since : (opts.since ?? null);
  const since = parseWatermark(sinceRaw);
  const first = { method: 'GET', path: `${repoPath(ctx)}/issues`, query: { state: 'all', sort: 'updated', direction: 'desc', ...(since ? { since: since.time } : {}) } };
  const page = await fetchPage<Array<Record<string, any>>>(ctx, first, cursor?.next ?? null, opts.pageSize);
  let mark = cursor?.mark ?? null;
  const records: RecordChange<IssueRecord>[] = [];
  for (const raw of page.body) {
    if (raw.pull_request !== undefined) continue;
    const record = issueRecord(raw);
    const at = modifiedAt.issue(record);
    if (alreadySeen(since, record.id, at)) continue;
    mark = advance(mark, record.id, at);
    records.push({ id: record.id, record, modifiedAt: at });
  }
  if (page.next) return { records, deletedIds: [], nextCursor: encodeCursor({ next: page.next, since: sinceRaw, mark }) };
  return { records, deletedIds: [], nextCursor: null, watermark: finalWatermark(mark, since) };
}

async function get(ctx: ConnectorContext, id: string): Promise<RecordChange<IssueRecord> | undefined> {
  const raw = await getOrUndefined<Record<string, any>>(ctx, `${repoPath(ctx)}/issues/${numericId(id, 'issue number')}`);
  // The issues endpoint answers for pull requests too; they belong to the other model.
  if (!raw || raw.pull_request !== undefined) return undefined;
  const record = issueRecord(raw);
  return { id: record.id, record, modifiedAt: modifiedAt.issue(record) };
}

async function upsert(ctx: ConnectorContext, inputs: UpsertInput<IssueRecord>[]): Promise<UpsertResult[]> {
  const base = `${repoPath(ctx)}/issues`;
  const results: UpsertResult[] = [];
  // GitHub has no batch endpoint: one call per record, in order.
  for (const input of inputs) {
    try {
      const body = issueBody(input.record);
      const raw = input.id
        ? await ctx.client.json<Record<string, any>>({ method: 'PATCH', path: `${base}/${numericId(input.id, 'issue number')}`, body, idempotent: true, ...signalOf(ctx) })
        : await ctx.client.json<Record<string, any>>({ method: 'POST', path: base, body, ...signalOf(ctx) });
      results.push({ ok: true, id: String(raw.number), created: !input.id, modifiedAt: Date.parse(raw.updated_at) });
    } catch (err) {
      results.push(writeFailure(err));
    }
  }
  return results;
}

async function close(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]> {
  const results: DeleteResult[] = [];
  for (const id of ids) {
    try {
      await ctx.client.json({ method: 'PATCH', path: `${repoPath(ctx)}/issues/${numericId(id, 'issue number')}`, body: { state: 'closed', state_reason: 'not_planned' }, idempotent: true, ...signalOf(ctx) });
      results.push({ id, ok: true });
    } catch (err) {
      results.push({ id, ...writeFailure(err) });
    }
  }
  return results;
}

export const issues: ModelSpec<IssueRecord> = {
  name: 'issues',
  description: 'Issues of a repository (params.owner, params.repo), pull requests excluded; id is the issue number; delete closes as not planned',
  schema: issueSchema,
  batchLimit: 1,
  incremental: true,
  list,
  get,
  upsert,
  delete: close,
};
