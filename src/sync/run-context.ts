import type { Logger } from 'pino';
import type { OpenedModel } from '../connectors/runtime.ts';
import type { Store } from '../store/store.ts';
import type { SyncDefinition } from './definition.ts';
import type { Progress } from './progress.ts';
import type { SyncMapping } from './sync-mapping.ts';

/** Everything one attempt of a run works with. */
export interface RunContext {
  store: Store;
  tenantId: string;
  def: SyncDefinition;
  runId: string;
  source: OpenedModel;
  target: OpenedModel;
  mapping: SyncMapping;
  progress: Progress;
  /** Emit `record.synced` per written record (off in benchmarks that measure the engine alone). */
  recordEvents: boolean;
  /** On the job's last attempt a retryable per-record failure is reported and the run goes on; before it, the page is retried. */
  finalAttempt: boolean;
  now: () => number;
  log: Logger;
  signal?: AbortSignal;
}

export const bidirectional = (rc: RunContext): boolean => rc.def.direction === 'bidirectional';
