import type { TenantStore } from '../store/store.ts';
import { emptyProgress, type RunFailure, type RunProgress } from '../store/repos/sync-runs.ts';
import type { Side } from './definition.ts';

/** Per-record failures kept in the run report; the count keeps going past it. */
export const MAX_REPORTED_FAILURES = 500;

export type Phase = 'queued' | 'starting' | 'scan_target' | 'source' | 'target' | 'deletes' | 'finishing' | 'completed' | 'failed';

/**
 * A run's counters and failure report, in memory between saves. A resumed
 * attempt starts from what was last saved, so counts after a crash cover
 * every page exactly once.
 */
export class Progress {
  phase: Phase = 'starting';
  readonly counts: RunProgress;
  readonly failures: RunFailure[];

  constructor(saved?: { progress: RunProgress; failures: RunFailure[] }) {
    this.counts = { ...emptyProgress(), ...saved?.progress };
    this.failures = [...(saved?.failures ?? [])];
  }

  add(key: Exclude<keyof RunProgress, 'rateLimitWaitMs'>, n = 1): void {
    this.counts[key] += n;
  }

  waited(ms: number): void {
    this.counts.rateLimitWaitMs += Math.round(ms);
  }

  fail(side: Side, id: string, reason: string): void {
    this.counts.failed++;
    if (this.failures.length < MAX_REPORTED_FAILURES) this.failures.push({ side, id, reason: reason.slice(0, 1000) });
  }

  snapshot(): { phase: Phase; progress: RunProgress; failures: RunFailure[] } {
    return { phase: this.phase, progress: { ...this.counts }, failures: [...this.failures] };
  }

  async save(t: TenantStore, runId: string, now: number): Promise<void> {
    await t.syncRuns.progress(runId, this.snapshot(), now);
  }
}
