import type { ConnectorContext, ModelSpec, RecordChange } from '../types.ts';
import { fullListPage } from './full-list.ts';
import { modifiedAt, runRecord, type RunRecord } from './normalise.ts';
import { getOrUndefined } from './paging.ts';
import { numericId, repoPath } from './params.ts';
import { runSchema } from './schemas.ts';

/**
 * GitHub Actions workflow runs of one repository. The API filters runs by
 * creation time only, while a run's status changes after it is created, so
 * reads are full and the engine diffs. Read-only.
 */
async function get(ctx: ConnectorContext, id: string): Promise<RecordChange<RunRecord> | undefined> {
  const raw = await getOrUndefined<Record<string, any>>(ctx, `${repoPath(ctx)}/actions/runs/${numericId(id, 'run id')}`);
  if (!raw) return undefined;
  const record = runRecord(raw);
  return { id: record.id, record, modifiedAt: modifiedAt.run(record) };
}

export const workflowRuns: ModelSpec<RunRecord> = {
  name: 'workflow_runs',
  description: 'GitHub Actions workflow runs of a repository (params.owner, params.repo); full reads; read-only',
  schema: runSchema,
  batchLimit: 1,
  incremental: false,
  list: (ctx, opts) => fullListPage(ctx, opts, { method: 'GET', path: `${repoPath(ctx)}/actions/runs` }, (b) => b.workflow_runs ?? [], runRecord, modifiedAt.run),
  get,
};
