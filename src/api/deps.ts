import type { Store } from '../store/store.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Queue } from '../queue/queue.ts';
import type { Ingestor } from '../webhooks/ingest.ts';
import type { Redactor } from '../observability/redact.ts';
import type { Cache } from '../cache/port.ts';
import type { SecretBox } from '../events/subscriptions/service.ts';

/** What route modules receive: services and ports, never a dialect or config. */
export interface ApiDeps {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  redactor: Redactor;
  queue: Queue;
  ingestor: Ingestor;
  /** Base URL shown in webhook source URLs and used to rebuild the signed URL; else taken from the Host header. */
  publicUrl?: string;
  webhookMaxBodyBytes: number;
  /** Seals secrets at rest (the vault). */
  vault: SecretBox;
  cache: Cache;
  /** Tells this process's event consumer to re-read subscriptions now. */
  onSubscriptionsChanged?: () => void;
}
