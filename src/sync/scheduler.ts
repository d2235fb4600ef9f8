import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import { definitionOf } from './definition.ts';
import type { SyncRunner } from './runner.ts';

/**
 * Fires cron schedules (`--role scheduler`, or `all`). Every scheduler
 * process looks at every scheduled sync each tick and enqueues the latest
 * cron time that passed since its previous look, under the dedup key
 * `schedule:<sync>:<time>`: however many schedulers run, the queue accepts
 * each tick once. Times are UTC. A tick missed while no scheduler was
 * running is not caught up (the next one reads every change anyway).
 */
export interface SchedulerOptions {
  store: Store;
  runner: SyncRunner;
  log: Logger;
  tickMs?: number;
  now?: () => number;
}

export class Scheduler {
  private readonly o: SchedulerOptions;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private lastCheck = 0;
  private running: Promise<void> | undefined;

  constructor(options: SchedulerOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.lastCheck = this.now();
    this.timer = setInterval(() => {
      this.running ??= this.tick().then(() => undefined, (err: unknown) => this.o.log.warn({ err }, 'scheduler tick failed; the next tick retries')).finally(() => (this.running = undefined));
    }, this.o.tickMs ?? 1_000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One look at every schedule; returns how many runs this process enqueued. */
  async tick(): Promise<number> {
    const now = this.now();
    const since = this.lastCheck;
    let fired = 0;
    for (const row of await this.o.store.syncSchedules.scheduled()) {
      const def = definitionOf(row);
      if (!def.schedule || !def.options.triggers.includes('schedule')) continue;
      const due = latestDue(def.schedule, since, now);
      if (due === undefined) continue;
      const queued = await this.o.runner.enqueue(def.tenantId, def.id, { mode: 'incremental', trigger: 'schedule', dedupKey: `schedule:${def.id}:${due}` });
      if (queued) fired++;
    }
    this.lastCheck = now;
    return fired;
  }
}

/** The latest cron time in (since, now], if any. */
export function latestDue(expr: string, since: number, now: number): number | undefined {
  let cron: Cron;
  try {
    cron = new Cron(expr, { paused: true, timezone: 'UTC' });
  } catch {
    return undefined;
  }
  let due: number | undefined;
  // A long pause over a per-second cron is walked at most this far; the newest tick is what matters.
  let steps = 0;
  for (let next = cron.nextRun(new Date(Math.max(since, now - 86_400_000))); next && next.getTime() <= now && steps < 100_000; next = cron.nextRun(next), steps++) due = next.getTime();
  return due;
}
