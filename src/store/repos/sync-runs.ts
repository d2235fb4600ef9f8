import type { Kysely, Selectable } from 'kysely';
import type { DB, SyncRunStatus, SyncRunsTable } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

/** The persisted counters of a run. */
export interface RunProgress {
  pages: number;
  read: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  conflicts: number;
  deleted: number;
  rateLimitWaitMs: number;
}

export interface RunFailure {
  side: 'source' | 'target';
  id: string;
  reason: string;
}

export interface SyncRun {
  id: string;
  tenantId: string;
  syncId: string;
  jobId: string | null;
  mode: SyncRunsTable['mode'];
  trigger: string;
  status: SyncRunStatus;
  phase: string;
  progress: RunProgress;
  failures: RunFailure[];
  error: string | null;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

export const emptyProgress = (): RunProgress => ({ pages: 0, read: 0, created: 0, updated: 0, skipped: 0, failed: 0, conflicts: 0, deleted: 0, rateLimitWaitMs: 0 });

const toRun = (r: Selectable<SyncRunsTable>): SyncRun => ({
  id: r.id, tenantId: r.tenant_id, syncId: r.sync_id, jobId: r.job_id, mode: r.mode, trigger: r.triggered_by, status: r.status, phase: r.phase,
  progress: { ...emptyProgress(), ...(JSON.parse(r.progress) as Partial<RunProgress>) }, failures: JSON.parse(r.failures) as RunFailure[],
  error: r.error, attempts: r.attempts, createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at, updatedAt: r.updated_at,
});

export function syncRunsRepo(db: Kysely<DB>, tenantId: string) {
  const byTenant = () => db.selectFrom('sync_runs').selectAll().where('tenant_id', '=', tenantId);
  const set = (id: string, values: Partial<SyncRunsTable>) => db.updateTable('sync_runs').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  return {
    async create(r: { id: string; syncId: string; jobId: string | null; mode: SyncRun['mode']; trigger: string; now: number }): Promise<void> {
      await db.insertInto('sync_runs').values({
        id: r.id, tenant_id: tenantId, sync_id: r.syncId, job_id: r.jobId, mode: r.mode, triggered_by: r.trigger, status: 'queued', phase: 'queued',
        progress: JSON.stringify(emptyProgress()), failures: '[]', error: null, attempts: 0, created_at: r.now, started_at: null, finished_at: null, updated_at: r.now,
      }).execute();
    },
    async get(id: string): Promise<SyncRun | undefined> {
      const r = await byTenant().where('id', '=', id).executeTakeFirst();
      return r && toRun(r);
    },
    async list(syncId: string, q: PageQuery = {}): Promise<Page<SyncRun>> {
      const limit = q.limit ?? 50;
      let query = byTenant().where('sync_id', '=', syncId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return page((await query.orderBy('id', 'desc').limit(limit + 1).execute()).map(toRun), limit);
    },
    async setJob(id: string, jobId: string): Promise<void> {
      await set(id, { job_id: jobId });
    },
    /** An attempt begins (the first, or one resuming after a crash). */
    async start(id: string, attempt: number, now: number): Promise<void> {
      await db.updateTable('sync_runs').set((eb) => ({
        status: 'running', attempts: attempt, updated_at: now, error: null, started_at: eb.fn.coalesce('started_at', eb.val(now)),
      })).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async progress(id: string, p: { phase: string; progress: RunProgress; failures: RunFailure[] }, now: number): Promise<void> {
      await set(id, { phase: p.phase, progress: JSON.stringify(p.progress), failures: JSON.stringify(p.failures), updated_at: now });
    },
    /** An attempt failed and will be retried: the run stays `running`, with the error for the record. */
    async attemptFailed(id: string, error: string, now: number): Promise<void> {
      await set(id, { error: error.slice(0, 2000), updated_at: now });
    },
    async finish(id: string, f: { status: 'completed' | 'failed'; phase: string; error?: string | null; progress?: RunProgress; failures?: RunFailure[] }, now: number): Promise<void> {
      await set(id, {
        status: f.status, phase: f.phase, error: f.error?.slice(0, 2000) ?? null, finished_at: now, updated_at: now,
        ...(f.progress ? { progress: JSON.stringify(f.progress) } : {}),
        ...(f.failures ? { failures: JSON.stringify(f.failures) } : {}),
      });
    },
  };
}
