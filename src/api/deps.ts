import type { Store } from '../store/store.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** What route modules receive: services and ports, never a dialect or config. */
export interface ApiDeps {
  store: Store;
  logger: Logger;
  metrics: Metrics;
}
