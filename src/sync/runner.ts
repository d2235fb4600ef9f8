import type { Logger } from 'pino';
import type { ConnectorRuntime } from '../connectors/runtime.ts';
import { emit } from '../events/outbox.ts';
import type { Queue } from '../queue/queue.ts';
import { PermanentFailure, type ClaimedJob, type JobKind } from '../queue/types.ts';
import type { Store } from '../store/store.ts';
import type { CompileOptions } from '../transform/index.ts';
import { definitionOf, type Side } from './definition.ts';
import { executeRun, type RecordChangeRef, type RunMode } from './engine.ts';
import { runIdForJob, syncRowId } from './ids.ts';
import { Progress } from './progress.ts';
import type { RateWaitMeter } from './rate-wait.ts';
import type { RunContext } from './run-context.ts';
import { compileSyncMapping } from './sync-mapping.ts';

/**
 * Runs are queue jobs (`sync.run`). Jobs of one sync share an ordering key,
 * so a sync never runs twice at once and webhook-triggered record runs queue
 * behind a full run. A failed attempt retries on the schedule below and
 * resumes from the last page checkpoint; the run fails for good only when
 * the job goes dead.
 */
export const SYNC_RUN_JOB = 'sync.run';
export const SYNC_RUN_RETRY_MS: readonly number[] = [1_000, 5_000, 15_000, 60_000, 300_000, 900_000];

export interface SyncRunPayload {
  kind: typeof SYNC_RUN_JOB;
  v: 1;
  syncId: string;
  /** Absent for cron ticks: the run id is derived from the job id. */
  runId?: string;
  mode: RunMode;
  trigger: 'manual' | 'schedule' | 'webhook';
  changes?: RecordChangeRef[];
}

export interface SyncRunnerOptions {
  store: Store;
  queue: Queue;
  runtime: ConnectorRuntime;
  log: Logger;
  meter?: RateWaitMeter;
  compile?: CompileOptions;
  /** Emit `record.synced` per written record (default true). */
  recordEvents?: boolean;
  retrySchedule?: readonly number[];
  now?: () => number;
}

export interface EnqueueRun {
  mode: RunMode;
  trigger: SyncRunPayload['trigger'];
  changes?: RecordChangeRef[];
  /** Once per key (a cron tick, a webhook event). */
  dedupKey?: string;
  runAt?: number;
}

export class SyncRunner {
  private readonly o: SyncRunnerOptions;
  private readonly now: () => number;

  constructor(options: SyncRunnerOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
  }

  /** Creates the run and its job in one transaction; undefined when the dedup key was already used. */
  async enqueue(tenantId: string, syncId: string, e: EnqueueRun): Promise<{ runId: string; jobId: string } | undefined> {
    const now = this.now();
    const runId = syncRowId('run', now);
    const payload: SyncRunPayload = { kind: SYNC_RUN_JOB, v: 1, syncId, runId, mode: e.mode, trigger: e.trigger, ...(e.changes ? { changes: e.changes } : {}) };
    const out = await this.o.store.transaction(async (tx) => {
      const jobId = await this.o.queue.enqueue(tx, {
        tenantId, payload: payload as unknown as SyncRunPayload & { [k: string]: unknown }, orderingKey: `sync:${syncId}`,
        ...(e.dedupKey ? { dedupKey: e.dedupKey } : {}), ...(e.runAt ? { runAt: e.runAt } : {}),
      });
      if (!jobId) return undefined;
      await tx.forTenant(tenantId).syncRuns.create({ id: runId, syncId, jobId, mode: e.mode, trigger: e.trigger, now });
      return { runId, jobId };
    });
    if (out) this.o.queue.nudge();
    return out;
  }

  jobKind(): JobKind {
    return {
      kind: SYNC_RUN_JOB,
      retrySchedule: this.o.retrySchedule ?? SYNC_RUN_RETRY_MS,
      handle: (job, signal) => this.handle(job, signal),
      onSettled: async (tx, job, outcome) => {
        if (outcome.status !== 'dead') return;
        const p = job.payload as unknown as SyncRunPayload;
        const runId = p.runId ?? runIdForJob(job.id);
        const t = tx.forTenant(job.tenantId);
        const run = await t.syncRuns.get(runId);
        if (!run || run.status === 'completed' || run.status === 'failed') return;
        await t.syncRuns.finish(runId, { status: 'failed', phase: 'failed', error: outcome.error }, this.now());
        await emit(tx, {
          tenantId: job.tenantId, type: 'sync.run.failed', partitionKey: `${job.tenantId}:${p.syncId}`, subject: p.syncId, dedupKey: `sync.run.failed:${runId}`,
          data: { syncId: p.syncId, runId, mode: p.mode, error: outcome.error, progress: run.progress },
        });
      },
    };
  }

  private async handle(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const p = job.payload as unknown as SyncRunPayload;
    if (p.v !== 1 || typeof p.syncId !== 'string') throw new PermanentFailure(`sync.run payload v${String(p.v)} is not understood`);
    const { store, runtime } = this.o;
    const t = store.forTenant(job.tenantId);
    const row = await t.syncs.get(p.syncId);
    if (!row) throw new PermanentFailure(`sync ${p.syncId} no longer exists`);
    const def = definitionOf(row);
    const runId = p.runId ?? runIdForJob(job.id);
    let run = await t.syncRuns.get(runId);
    if (!run) {
      await t.syncRuns.create({ id: runId, syncId: def.id, jobId: job.id, mode: p.mode, trigger: p.trigger, now: this.now() });
      run = (await t.syncRuns.get(runId))!;
    }
    if (run.status === 'completed' || run.status === 'failed') return;
    const mapping = await t.mappings.get(def.mappingId, def.mappingVersion);
    if (!mapping) throw new PermanentFailure(`mapping ${def.mappingId}${def.mappingVersion ? ` v${def.mappingVersion}` : ''} does not exist`);
    const compiled = compileSyncMapping(mapping.spec, def.options.filter, this.o.compile);
    if (!compiled.ok) throw new PermanentFailure(`mapping ${def.mappingId} does not compile: ${compiled.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);

    await store.transaction(async (tx) => {
      await tx.forTenant(job.tenantId).syncRuns.start(runId, job.attempt, this.now());
      if (run.attempts === 0) {
        await emit(tx, { tenantId: job.tenantId, type: 'sync.run.started', partitionKey: `${job.tenantId}:${def.id}`, subject: def.id, dedupKey: `sync.run.started:${runId}`, data: { syncId: def.id, runId, mode: p.mode, trigger: p.trigger } });
      }
    });
    const progress = new Progress(run);
    const unwatch = this.o.meter?.watch([def.source.connectionId, def.target.connectionId], (ms) => progress.waited(ms));
    try {
      const open = (side: Side) => runtime.open(job.tenantId, def[side].connectionId, def[side].model, def[side].params, signal);
      const rc: RunContext = {
        store, tenantId: job.tenantId, def, runId, source: await open('source'), target: await open('target'), mapping: compiled.mapping, progress,
        recordEvents: this.o.recordEvents ?? true, finalAttempt: job.attempt >= job.maxAttempts, now: this.now,
        log: this.o.log.child({ syncId: def.id, runId }), signal,
      };
      const result = await executeRun(rc, { mode: p.mode, ...(p.changes ? { changes: p.changes } : {}) });
      progress.phase = 'completed';
      const snap = progress.snapshot();
      await store.transaction(async (tx) => {
        const tt = tx.forTenant(job.tenantId);
        for (const side of ['source', 'target'] as const) {
          if (side in result.watermarks) await tt.syncCursors.commit(def.id, side, result.watermarks[side] ?? null, this.now());
        }
        await tt.syncRuns.finish(runId, { status: 'completed', phase: 'completed', progress: snap.progress, failures: snap.failures }, this.now());
        await emit(tx, { tenantId: job.tenantId, type: 'sync.run.completed', partitionKey: `${job.tenantId}:${def.id}`, subject: def.id, dedupKey: `sync.run.completed:${runId}`, data: { syncId: def.id, runId, mode: p.mode, progress: snap.progress } });
      });
    } catch (err) {
      await t.syncRuns.attemptFailed(runId, err instanceof Error ? `${err.name}: ${err.message}` : String(err), this.now()).catch(() => undefined);
      throw err;
    } finally {
      unwatch?.();
    }
  }
}
