import type { Store } from '../store/store.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Queue } from '../queue/queue.ts';
import type { Ingestor } from '../webhooks/ingest.ts';
import type { Redactor } from '../observability/redact.ts';
import type { Cache } from '../cache/port.ts';
import type { SecretBox } from '../events/subscriptions/service.ts';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { ConnectorRuntime } from '../connectors/runtime.ts';
import type { Catalog } from '../catalog/index.ts';
import type { ConnectionService } from '../connections/service.ts';
import type { ServiceTokenVerifier } from '../connections/service-token.ts';
import type { MappingService } from '../sync/mappings.ts';
import type { SyncService } from '../sync/service.ts';
import type { ConflictService } from '../sync/conflicts.ts';

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
  /** The connectors, when this process has them (the Actions API and the proxy need them). */
  connectors?: { registry: ConnectorRegistry; runtime: ConnectorRuntime; catalog: Catalog };
  connections: ConnectionService;
  serviceTokens?: ServiceTokenVerifier;
  connectRedirectOrigins?: string[];
  sync: { mappings: MappingService; syncs: SyncService; conflicts: ConflictService };
}
