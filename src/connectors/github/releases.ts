import type { ConnectorContext, ModelSpec, RecordChange, UpsertInput, UpsertResult } from '../types.ts';
import { fullListPage } from './full-list.ts';
import { modifiedAt, releaseRecord, type ReleaseRecord } from './normalise.ts';
import { getOrUndefined, signalOf } from './paging.ts';
import { numericId, repoPath } from './params.ts';
import { releaseSchema } from './schemas.ts';
import { writeFailure } from './write-results.ts';

/**
 * Releases of one repository. The list has no time filter and releases can
 * be edited, so reads are full (the engine diffs). Writes create releases;
 * editing and deleting releases are not part of this connector.
 */
async function get(ctx: ConnectorContext, id: string): Promise<RecordChange<ReleaseRecord> | undefined> {
  const raw = await getOrUndefined<Record<string, any>>(ctx, `${repoPath(ctx)}/releases/${numericId(id, 'release id')}`);
  if (!raw) return undefined;
  const record = releaseRecord(raw);
  return { id: record.id, record, modifiedAt: modifiedAt.release(record) };
}

async function upsert(ctx: ConnectorContext, inputs: UpsertInput<ReleaseRecord>[]): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (const input of inputs) {
    if (input.id) {
      results.push({ ok: false, error: 'github releases: updating a release is not supported; only creation is', retryable: false });
      continue;
    }
    const r = input.record;
    const body = {
      tag_name: r.tagName, ...(r.name !== undefined ? { name: r.name } : {}), ...(r.body !== undefined ? { body: r.body } : {}),
      ...(r.draft !== undefined ? { draft: r.draft } : {}), ...(r.prerelease !== undefined ? { prerelease: r.prerelease } : {}),
      ...(r.targetCommitish !== undefined ? { target_commitish: r.targetCommitish } : {}),
    };
    try {
      const raw = await ctx.client.json<Record<string, any>>({ method: 'POST', path: `${repoPath(ctx)}/releases`, body, ...signalOf(ctx) });
      const record = releaseRecord(raw);
      results.push({ ok: true, id: record.id, created: true, modifiedAt: modifiedAt.release(record) });
    } catch (err) {
      results.push(writeFailure(err));
    }
  }
  return results;
}

export const releases: ModelSpec<ReleaseRecord> = {
  name: 'releases',
  description: 'Releases of a repository (params.owner, params.repo); full reads; create only',
  schema: releaseSchema,
  batchLimit: 1,
  incremental: false,
  list: (ctx, opts) => fullListPage(ctx, opts, { method: 'GET', path: `${repoPath(ctx)}/releases` }, (b) => b, releaseRecord, modifiedAt.release),
  get,
  upsert,
};
