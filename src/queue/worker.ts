import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import type { JobRow } from '../store/repos/jobs.ts';
import { retryTransient } from '../store/dialect.ts';
import { Waker } from './wake.ts';
import { nextDelay } from './backoff.ts';
import type { Queue } from './queue.ts';
import { PermanentFailure, RetryLater, type ClaimedJob, type JobPayload, type Random } from './types.ts';

export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  /** Only claim these kinds (default: every registered kind). */
  kinds?: readonly string[];
  random?: Random;
  now?: () => number;
  onOutcome?: (kind: string, outcome: 'completed' | 'retrying' | 'dead' | 'lost', durationMs: number) => void;
}

export const workerId = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

function toClaimed(row: JobRow): ClaimedJob {
  return {
    id: row.id, tenantId: row.tenant_id, kind: row.kind, payload: JSON.parse(row.payload) as JobPayload,
    attempt: row.attempts, maxAttempts: row.max_attempts, orderingKey: row.ordering_key,
  };
}

const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000);

/**
 * Claims due jobs in batches, runs them with bounded concurrency, keeps
 * their leases alive, and records each outcome. `stop` stops claiming and
 * waits for the jobs in hand.
 */
export class Worker {
  readonly id = workerId();
  private readonly active = new Map<string, { job: ClaimedJob; abort: AbortController }>();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly waker = new Waker();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly store: Store;
  private readonly queue: Queue;
  private readonly log: Logger;
  private readonly opts: WorkerOptions;
  private readonly now: () => number;

  constructor(store: Store, queue: Queue, log: Logger, opts: WorkerOptions) {
    this.store = store;
    this.queue = queue;
    this.log = log.child({ worker: this.id });
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  get inFlight(): number {
    return this.active.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.queue.nudger.onNudge(() => this.waker.wake());
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.waker.wake();
    await this.loop;
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 20));
    clearInterval(this.heartbeatTimer);
  }

  private async run(): Promise<void> {
    const kinds = this.opts.kinds ?? [...this.queue.kinds.keys()];
    while (this.running) {
      let claimed = 0;
      const free = this.opts.concurrency - this.active.size;
      if (free > 0) {
        try {
          await this.store.queue.buryExpired(this.now());
          const rows = await this.store.queue.claim({ worker: this.id, limit: free, leaseMs: this.opts.leaseMs, now: this.now(), kinds });
          claimed = rows.length;
          for (const row of rows) this.execute(toClaimed(row));
        } catch (err) {
          this.log.warn({ err }, 'claim failed; will retry');
        }
      }
      // A full batch means more may be waiting: claim again at once.
      if (claimed > 0 && claimed === free) continue;
      await this.waker.sleep(this.opts.pollMs);
    }
  }

  private execute(job: ClaimedJob): void {
    const abort = new AbortController();
    this.active.set(job.id, { job, abort });
    const started = this.now();
    const done = () => {
      this.active.delete(job.id);
      this.waker.wake();
    };
    this.handle(job, abort.signal).then(
      (outcome) => this.opts.onOutcome?.(job.kind, outcome, this.now() - started),
      (err: unknown) => this.log.error({ err, jobId: job.id }, 'recording a job outcome failed; the lease will expire and the job will be reclaimed'),
    ).finally(done);
  }

  private async handle(job: ClaimedJob, signal: AbortSignal): Promise<'completed' | 'retrying' | 'dead' | 'lost'> {
    const kind = this.queue.kinds.get(job.kind);
    const fence = { id: job.id, attempts: job.attempt };
    try {
      if (!kind) throw new Error(`no handler registered for job kind ${job.kind}`);
      await kind.handle(job, signal);
    } catch (err) {
      const schedule = this.queue.schedule(job.kind);
      const delay = err instanceof PermanentFailure || job.attempt >= job.maxAttempts
        ? null
        : nextDelay(schedule, job.attempt - (job.maxAttempts - schedule.length - 1), this.opts.random ?? Math.random, err instanceof RetryLater ? { retryAfterMs: err.retryAfterMs } : {});
      const error = errorText(err);
      const kept = await this.settle(async (tx, now) => {
        if (!(await tx.queue.fail(fence, this.id, now, error, delay === null ? null : now + delay))) return false;
        if (delay === null) await kind?.onSettled?.(tx, job, { status: 'dead', error });
        return true;
      });
      this.log.info({ jobId: job.id, kind: job.kind, attempt: job.attempt, err, nextInMs: delay }, delay === null ? 'job dead' : 'job failed; will retry');
      if (!kept) return 'lost';
      return delay === null ? 'dead' : 'retrying';
    }
    const kept = await this.settle(async (tx, now) => {
      if (!(await tx.queue.complete(fence, this.id, now))) return false;
      await kind.onSettled?.(tx, job, { status: 'completed' });
      return true;
    });
    return kept ? 'completed' : 'lost';
  }

  /** Records an outcome and what must commit with it, in one transaction; a deadlock just runs it again. */
  private settle(fn: (tx: Store, now: number) => Promise<boolean>): Promise<boolean> {
    return retryTransient(() => this.store.transaction((tx) => fn(tx, this.now())));
  }

  private async heartbeat(): Promise<void> {
    const ids = [...this.active.keys()];
    if (ids.length === 0) return;
    try {
      await this.store.queue.heartbeat(this.id, ids, this.now() + this.opts.leaseMs);
    } catch (err) {
      this.log.warn({ err }, 'heartbeat failed');
    }
  }
}
