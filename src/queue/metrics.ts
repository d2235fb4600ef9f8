import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Store } from '../store/store.ts';

/**
 * Queue depth by status and the oldest due job's age are read from the
 * database at scrape time, so every process reports the same truth.
 */
export function queueMetrics(registry: Registry, store: Store) {
  let last: Awaited<ReturnType<Store['queue']['stats']>> | undefined;
  const refresh = async () => {
    last = await store.queue.stats(Date.now());
  };
  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs by status (completed jobs are not counted)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      await refresh();
      for (const [status, n] of Object.entries(last!.byStatus)) if (status !== 'completed') this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'queue_oldest_due_age_seconds',
    help: 'Age of the oldest job that is due and not yet claimed',
    registers: [registry],
    collect() {
      this.set((last?.oldestDueAgeMs ?? 0) / 1000);
    },
  });
  const outcomes = new Counter({
    name: 'queue_job_outcomes_total',
    help: 'Finished job attempts by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'queue_job_duration_seconds',
    help: 'Handler run time by kind',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  return {
    onOutcome: (kind: string, outcome: string, durationMs: number) => {
      outcomes.inc({ kind, outcome });
      seconds.observe({ kind }, durationMs / 1000);
    },
  };
}
