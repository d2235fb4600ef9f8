import { newId } from '../domain/ids.ts';
import type { Store } from '../store/store.ts';
import { DEFAULT_RETRY_SCHEDULE_MS } from './backoff.ts';
import type { JobKind, JobPayload } from './types.ts';
import type { Nudger } from './nudge.ts';
import { audit, type AuditInput } from '../observability/audit.ts';

export interface EnqueueInput {
  tenantId: string;
  payload: JobPayload;
  /** Jobs with the same key run one at a time, in enqueue order. */
  orderingKey?: string | null;
  /** A second enqueue with the same (tenant, kind, key) is a no-op. */
  dedupKey?: string | null;
  runAt?: number;
}

/**
 * The queue's front door. `enqueue` writes through whatever store it is
 * given, so a caller inside a transaction enqueues atomically with its own
 * writes; `nudge` after commit wakes workers early.
 */
export class Queue {
  readonly kinds = new Map<string, JobKind>();
  readonly nudger: Nudger;
  private readonly now: () => number;
  private readonly defaultSchedule: readonly number[];

  constructor(nudger: Nudger, opts: { now?: () => number; defaultSchedule?: readonly number[] } = {}) {
    this.nudger = nudger;
    this.now = opts.now ?? Date.now;
    this.defaultSchedule = opts.defaultSchedule ?? DEFAULT_RETRY_SCHEDULE_MS;
  }

  register(kind: JobKind): void {
    if (this.kinds.has(kind.kind)) throw new Error(`job kind ${kind.kind} is registered twice`);
    this.kinds.set(kind.kind, kind);
  }

  schedule(kind: string): readonly number[] {
    return this.kinds.get(kind)?.retrySchedule ?? this.defaultSchedule;
  }

  /** Builds the row for `enqueueMany` without writing (ingest batches many). */
  newJob(input: EnqueueInput, now = this.now()) {
    return {
      id: newId('job', now),
      tenantId: input.tenantId,
      kind: input.payload.kind,
      payload: input.payload,
      orderingKey: input.orderingKey ?? null,
      dedupKey: input.dedupKey ?? null,
      maxAttempts: this.schedule(input.payload.kind).length + 1,
      runAt: input.runAt ?? now,
      now,
    };
  }

  /** Returns the job id, or undefined when the dedup key already existed. */
  async enqueue(store: Store, input: EnqueueInput): Promise<string | undefined> {
    const job = this.newJob(input);
    const [id] = await store.queue.insert([job]);
    return id;
  }

  nudge(): void {
    this.nudger.notify();
  }

  /**
   * Replays jobs of one tenant (dead, completed or waiting) with a full
   * attempt budget, audited in the same transaction when `who` is given.
   */
  async replay(store: Store, tenantId: string, ids: string[], who?: AuditInput): Promise<string[]> {
    const replayed = await store.transaction(async (tx) => {
      const t = tx.forTenant(tenantId);
      const byKind = new Map<string, string[]>();
      for (const id of ids) {
        const job = await t.jobs.get(id);
        if (job) byKind.set(job.kind, [...(byKind.get(job.kind) ?? []), id]);
      }
      const done: string[] = [];
      for (const [kind, kindIds] of byKind) done.push(...(await t.jobs.replay(kindIds, this.schedule(kind).length + 1, this.now())));
      if (who) await audit(t, { ...who, details: { ...who.details, requested: ids.length, replayed: done.length } }, this.now());
      return done;
    });
    if (replayed.length > 0) this.nudge();
    return replayed;
  }
}
