import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { DB, JobStatus, JobsTable, JobAttemptsTable } from '../schema.ts';
import { retryTransient, type Capabilities } from '../dialect.ts';
import { page, type Page, type PageQuery } from './paging.ts';

export type JobRow = Selectable<JobsTable>;
export type JobAttemptRow = Selectable<JobAttemptsTable>;

export interface NewJob {
  id: string;
  tenantId: string;
  kind: string;
  payload: unknown;
  orderingKey?: string | null;
  dedupKey?: string | null;
  maxAttempts: number;
  runAt: number;
  now: number;
}

const UNFINISHED: JobStatus[] = ['pending', 'retrying', 'processing'];
const WAITING: JobStatus[] = ['pending', 'retrying'];

/** A new job as its table row (shared by the Kysely repo and the SQLite ingest writer). */
export function jobRow(j: NewJob): JobsTable {
  return {
    id: j.id, tenant_id: j.tenantId, kind: j.kind, payload: JSON.stringify(j.payload), status: 'pending',
    ordering_key: j.orderingKey ?? null, dedup_key: j.dedupKey ?? null, attempts: 0, max_attempts: j.maxAttempts,
    run_at: j.runAt, locked_by: null, locked_until: null, last_error: null, created_at: j.now, updated_at: j.now, finished_at: null,
  };
}

/** Due now: waiting and past run_at, or processing with a lease that ran out (its worker died). */
function due(now: number, kinds: readonly string[] | undefined) {
  return (eb: ExpressionBuilder<DB, 'jobs'>) => {
    const ready = eb.or([
      eb.and([eb('jobs.status', 'in', WAITING), eb('jobs.run_at', '<=', now)]),
      eb.and([eb('jobs.status', '=', 'processing'), eb('jobs.locked_until', '<', now), eb('jobs.attempts', '<', eb.ref('jobs.max_attempts'))]),
    ]);
    // FIFO per ordering key: only the oldest unfinished job of a key may run.
    const fifo = eb.or([
      eb('jobs.ordering_key', 'is', null),
      eb.not(eb.exists(eb.selectFrom('jobs as prior').select(sql.lit(1).as('one'))
        .whereRef('prior.tenant_id', '=', 'jobs.tenant_id')
        .whereRef('prior.ordering_key', '=', 'jobs.ordering_key')
        .whereRef('prior.id', '<', 'jobs.id')
        .where('prior.status', 'in', UNFINISHED))),
    ]);
    return kinds && kinds.length > 0 ? eb.and([ready, fifo, eb('jobs.kind', 'in', kinds)]) : eb.and([ready, fifo]);
  };
}

/**
 * The worker side of the queue. It spans tenants by nature (a worker serves
 * all of them); tenant-facing reads go through `jobsRepo`.
 */
export function queueRepo(db: Kysely<DB>, caps: Capabilities) {
  return {
    /** Inserts jobs; a job whose (tenant, kind, dedup key) exists is skipped. Returns the ids inserted. */
    async insert(jobs: NewJob[]): Promise<string[]> {
      if (jobs.length === 0) return [];
      const withKey = jobs.filter((j) => j.dedupKey);
      if (withKey.length === 0) {
        await db.insertInto('jobs').values(jobs.map(jobRow)).execute();
        return jobs.map((j) => j.id);
      }
      const inserted: string[] = [];
      for (const j of jobs) {
        const q = db.insertInto('jobs').values(jobRow(j));
        const r = caps.skipLocked && !caps.returning
          ? await q.ignore().executeTakeFirst()
          // The predicate names the partial unique index (migration 009).
          : await q.onConflict((oc) => oc.columns(['tenant_id', 'kind', 'dedup_key']).where('dedup_key', 'is not', null).doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) inserted.push(j.id);
      }
      return inserted;
    },

    /**
     * Claims up to `limit` due jobs for `worker` with a lease until
     * `now + leaseMs`. PostgreSQL and MySQL lock candidates with SKIP LOCKED so
     * workers never wait on each other; SQLite has one writer, so a single
     * UPDATE … RETURNING is already atomic.
     */
    async claim(opts: { worker: string; limit: number; leaseMs: number; now: number; kinds?: readonly string[] }): Promise<JobRow[]> {
      const { worker, limit, now } = opts;
      const lockedUntil = now + opts.leaseMs;
      const set = { status: 'processing' as const, locked_by: worker, locked_until: lockedUntil, updated_at: now, attempts: sql<number>`attempts + 1` };
      const candidates = (tx: Kysely<DB>) => tx.selectFrom('jobs').select('jobs.id').where(due(now, opts.kinds)).orderBy('jobs.run_at').orderBy('jobs.id').limit(limit);

      const txb = caps.singleWriter ? db.transaction() : db.transaction().setIsolationLevel('read committed');
      const claimed = await retryTransient(() => txb.execute(async (tx) => {
        let rows: JobRow[];
        if (caps.singleWriter) {
          rows = await tx.updateTable('jobs').set(set).where('id', 'in', candidates(tx)).returningAll().execute();
        } else if (caps.returning) {
          rows = await tx.updateTable('jobs').set(set).where('id', 'in', candidates(tx).forUpdate().skipLocked()).returningAll().execute();
        } else {
          const ids = (await candidates(tx).forUpdate().skipLocked().execute()).map((r) => r.id);
          if (ids.length === 0) return [];
          await tx.updateTable('jobs').set(set).where('id', 'in', ids).execute();
          rows = await tx.selectFrom('jobs').selectAll().where('id', 'in', ids).execute();
        }
        if (rows.length === 0) return rows;
        const ids = rows.map((r) => r.id);
        await tx.updateTable('job_attempts').set({ finished_at: now, outcome: 'lost', error: 'lease expired' })
          .where('job_id', 'in', ids).where('finished_at', 'is', null).execute();
        await tx.insertInto('job_attempts').values(rows.map((r) => ({
          job_id: r.id, attempt: r.attempts, worker, started_at: now, finished_at: null, outcome: null, error: null,
        }))).execute();
        return rows;
      }));
      return claimed.sort((a, b) => a.run_at - b.run_at || (a.id < b.id ? -1 : 1));
    },

    /** Extends the leases this worker still holds; returns how many it still holds. */
    async heartbeat(worker: string, ids: string[], lockedUntil: number): Promise<number> {
      if (ids.length === 0) return 0;
      const r = await retryTransient(() => db.updateTable('jobs').set({ locked_until: lockedUntil })
        .where('id', 'in', ids).where('locked_by', '=', worker).where('status', '=', 'processing').executeTakeFirst());
      return Number(r.numUpdatedRows);
    },

    /**
     * Marks success. Fenced by worker and attempt: a worker whose lease was
     * taken over changes nothing. Run it in a transaction with whatever the
     * completion must commit with (the worker does).
     */
    async complete(job: { id: string; attempts: number }, worker: string, now: number): Promise<boolean> {
      const r = await db.updateTable('jobs').set({ status: 'completed', locked_by: null, locked_until: null, finished_at: now, updated_at: now, last_error: null })
        .where('id', '=', job.id).where('locked_by', '=', worker).where('attempts', '=', job.attempts).where('status', '=', 'processing').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await db.updateTable('job_attempts').set({ finished_at: now, outcome: 'completed' }).where('job_id', '=', job.id).where('attempt', '=', job.attempts).execute();
      return true;
    },

    /** Records a failed attempt: back to `retrying` at `nextRunAt`, or `dead` when `nextRunAt` is null. Fenced like `complete`. */
    async fail(job: { id: string; attempts: number }, worker: string, now: number, error: string, nextRunAt: number | null): Promise<boolean> {
      const r = await db.updateTable('jobs').set({
        status: nextRunAt === null ? 'dead' : 'retrying', run_at: nextRunAt ?? now, locked_by: null, locked_until: null,
        last_error: error, updated_at: now, finished_at: nextRunAt === null ? now : null,
      }).where('id', '=', job.id).where('locked_by', '=', worker).where('attempts', '=', job.attempts).where('status', '=', 'processing').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await db.updateTable('job_attempts').set({ finished_at: now, outcome: 'failed', error }).where('job_id', '=', job.id).where('attempt', '=', job.attempts).execute();
      return true;
    },

    /** Jobs whose worker died on their final attempt go to `dead` instead of running again. */
    async buryExpired(now: number): Promise<number> {
      const r = await db.updateTable('jobs').set({ status: 'dead', last_error: 'worker lost its lease on the final attempt', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
        .where('status', '=', 'processing').where('locked_until', '<', now).where((eb) => eb('attempts', '>=', eb.ref('max_attempts'))).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    /** Queue depth by status and the age of the oldest due job, for metrics and health. */
    async stats(now: number): Promise<{ byStatus: Record<JobStatus, number>; oldestDueAgeMs: number }> {
      const rows = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '!=', 'completed').groupBy('status').execute();
      const byStatus: Record<JobStatus, number> = { pending: 0, processing: 0, completed: 0, retrying: 0, dead: 0 };
      for (const r of rows) byStatus[r.status] = Number(r.n);
      const oldest = await db.selectFrom('jobs').select((eb) => eb.fn.min<number>('run_at').as('t'))
        .where('status', 'in', WAITING).where('run_at', '<=', now).executeTakeFirst();
      return { byStatus, oldestDueAgeMs: oldest?.t ? now - Number(oldest.t) : 0 };
    },

    async get(id: string): Promise<JobRow | undefined> {
      return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    },
  };
}

export interface JobQuery extends PageQuery {
  kind?: string;
  status?: JobStatus;
}

/** Tenant-facing reads and replays. */
export function jobsRepo(db: Kysely<DB>, tenantId: string) {
  return {
    async get(id: string): Promise<JobRow | undefined> {
      return db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /** Jobs of one kind by status, and the oldest waiting job's due time. */
    async counts(kind: string): Promise<{ byStatus: Record<JobStatus, number>; oldestDueAt: number | null }> {
      const rows = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', tenantId).where('kind', '=', kind).groupBy('status').execute();
      const byStatus: Record<JobStatus, number> = { pending: 0, processing: 0, completed: 0, retrying: 0, dead: 0 };
      for (const r of rows) byStatus[r.status] = Number(r.n);
      const oldest = await db.selectFrom('jobs').select((eb) => eb.fn.min<number>('run_at').as('t'))
        .where('tenant_id', '=', tenantId).where('kind', '=', kind).where('status', 'in', WAITING).executeTakeFirst();
      return { byStatus, oldestDueAt: oldest?.t === null || oldest?.t === undefined ? null : Number(oldest.t) };
    },
    /** Jobs of a kind whose dedup key starts with `prefix` (a subscription's deliveries), newest first. */
    async byDedupPrefix(kind: string, prefix: string, q: { status?: JobStatus; limit?: number } = {}): Promise<JobRow[]> {
      let query = db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind)
        // No escaping: SQLite has no default LIKE escape. Prefixes here are ids (`sub_…:`) whose
        // only wildcard character, `_`, stands where every id has an underscore anyway.
        .where('dedup_key', 'like', `${prefix}%`);
      if (q.status) query = query.where('status', '=', q.status);
      return query.orderBy('id', 'desc').limit(q.limit ?? 50).execute();
    },
    async attempts(jobId: string): Promise<JobAttemptRow[]> {
      return db.selectFrom('job_attempts').innerJoin('jobs', 'jobs.id', 'job_attempts.job_id')
        .selectAll('job_attempts').where('jobs.tenant_id', '=', tenantId).where('job_attempts.job_id', '=', jobId)
        .orderBy('job_attempts.attempt').execute();
    },
    async list(q: JobQuery = {}): Promise<Page<JobRow>> {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId);
      if (q.kind) query = query.where('kind', '=', q.kind);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return page(await query.orderBy('id', 'desc').limit(limit + 1).execute(), limit);
    },
    /**
     * Puts finished or waiting jobs back to run now with `budget` more
     * attempts. Attempt numbers keep counting, so the history stays whole.
     * A job being processed is left alone. Returns the ids replayed.
     */
    async replay(ids: string[], budget: number, now: number): Promise<string[]> {
      if (ids.length === 0) return [];
      const eligible = (await db.selectFrom('jobs').select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids)
        .where('status', '!=', 'processing').execute()).map((r) => r.id);
      if (eligible.length === 0) return [];
      await db.updateTable('jobs').set((eb) => ({ status: 'pending', max_attempts: eb('attempts', '+', budget), run_at: now, last_error: null, finished_at: null, updated_at: now }))
        .where('tenant_id', '=', tenantId).where('id', 'in', eligible).where('status', '!=', 'processing').execute();
      return eligible;
    },
  };
}
