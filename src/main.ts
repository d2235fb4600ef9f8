import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/schema.ts';
import { openDatabase, type DatabaseHandle } from './store/dialect.ts';
import { createStore, type Store } from './store/store.ts';
import { migrateUp } from './store/migrate.ts';
import { Redactor } from './observability/redact.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { buildApi } from './api/app.ts';
import { Queue } from './queue/queue.ts';
import { Worker } from './queue/worker.ts';
import { memoryNudger, postgresNudger, type Nudger } from './queue/nudge.ts';
import { queueMetrics } from './queue/metrics.ts';
import { GroupCommitter } from './webhooks/group-commit.ts';
import { SqliteIngestThread } from './store/sqlite-ingest.ts';
import { PostgresIngestWriter } from './store/postgres-ingest.ts';
import { Ingestor } from './webhooks/ingest.ts';
import { webhookMetrics } from './webhooks/metrics.ts';
import { WebhookRouter, DEFAULT_ROUTES, type WebhookHandler } from './webhooks/router.ts';
import { webhookProcessJob } from './webhooks/process.ts';
import { busHandler, loadHandlerModule, logHandler } from './webhooks/handlers.ts';
import { busFromUrl } from './events/bus/from-url.ts';
import type { Bus } from './events/bus/port.ts';
import { topicNaming } from './events/bus/topics.ts';
import { Relay } from './events/relay.ts';
import { workerId } from './queue/worker.ts';
import type { Cache } from './cache/port.ts';
import { MemoryCache } from './cache/memory.ts';
import { RedisCache } from './cache/redis.ts';
import { Redis } from 'ioredis';
import { Vault, loadOrCreateLocalKeyRing, parseKeyRing, redactableValues } from './vault/index.ts';
import { SubscriptionConsumer } from './events/subscriptions/consumer.ts';
import { deliverJob } from './events/subscriptions/deliver.ts';
import { loadCatalog, type Catalog } from './catalog/index.ts';
import { ConnectionService } from './connections/service.ts';
import { ServiceTokenVerifier } from './connections/service-token.ts';
import { startRefresher } from './connections/refresher.ts';
import { ConnectorRegistry } from './connectors/registry.ts';
import { ConnectorRuntime } from './connectors/runtime.ts';
import { CONNECTORS } from './connectors/all.ts';
import { memoryBucketStore, redisBucketStore } from './http-client/index.ts';
import { fileURLToPath } from 'node:url';
import { RateWaitMeter } from './sync/rate-wait.ts';
import { SyncRunner } from './sync/runner.ts';
import { Scheduler } from './sync/scheduler.ts';
import { MappingService } from './sync/mappings.ts';
import { SyncService } from './sync/service.ts';
import { ConflictService } from './sync/conflicts.ts';
import { syncTriggerHandler } from './sync/webhook-trigger.ts';

export const VERSION = '0.1.0';

export interface Roles {
  api: boolean;
  worker: boolean;
  /** Fires sync schedules; safe in several processes (each tick is enqueued once). */
  scheduler?: boolean;
}

/**
 * The composition root: the one place that turns configuration into
 * concrete adapters (dialect, nudger, handlers) and wires services to them.
 */
export interface Hub {
  config: Config;
  db: DatabaseHandle;
  store: Store;
  logger: Logger;
  redactor: Redactor;
  metrics: Metrics;
  queue: Queue;
  vault: Vault;
  catalog: Catalog;
  connections: ConnectionService;
  connectors: { registry: ConnectorRegistry; runtime: ConnectorRuntime };
  bus: Bus;
  cache: Cache;
  relay: Relay | undefined;
  api: FastifyInstance;
  worker: Worker | undefined;
  /** Starts the worker (if its role is on) and, with the api role, listens; resolves to the base URL or ''. */
  listen: () => Promise<string>;
  /** Stops accepting, drains in-flight requests and jobs, closes the database. Safe to call twice. */
  close: () => Promise<void>;
}

export interface HubOptions {
  logDestination?: DestinationStream;
  /** Run pending migrations before serving (default true). */
  migrate?: boolean;
  roles?: Roles;
}

export function openStore(config: Config): { db: DatabaseHandle; store: Store } {
  const db = openDatabase(config.databaseUrl, { poolMax: config.dbPoolMax, sqliteSynchronous: config.sqliteSynchronous });
  return { db, store: createStore(db) };
}

async function webhookHandlers(config: Config, logger: Logger, store: Store, sync: WebhookHandler): Promise<Map<string, WebhookHandler>> {
  const handlers = new Map<string, WebhookHandler>([
    ['log', logHandler(logger.child({ component: 'webhook-log' }))],
    ['bus', busHandler(store)],
    ['sync', sync],
  ]);
  for (const [name, path] of Object.entries(config.webhookHandlers)) {
    if (handlers.has(name)) throw new Error(`webhook handler ${name}: the name is taken by a built-in handler`);
    handlers.set(name, await loadHandlerModule(name, path));
  }
  return handlers;
}

/** The HTTP client's view of a token from the token API. */
function tokenOf(view: { accessToken: string; tokenType: string }): { value: string; type: string } {
  return { value: view.accessToken, type: view.tokenType };
}

export async function createHub(config: Config, opts: HubOptions = {}): Promise<Hub> {
  const roles = opts.roles ?? { api: true, worker: true };
  const redactor = new Redactor();
  const logger = createLogger({ level: config.logLevel, redactor, ...(opts.logDestination ? { destination: opts.logDestination } : {}) });
  const metrics = createMetrics();
  const { db, store } = openStore(config);
  let nudger: Nudger | undefined;
  let bus: Bus | undefined;
  let cache: Cache | undefined;
  try {
    if (opts.migrate !== false) await migrateUp(db.db);
    nudger = db.kind === 'postgres'
      ? await postgresNudger(config.databaseUrl, (err) => logger.warn({ err }, 'job nudge channel error; polling continues'))
      : memoryNudger();
    bus = await busFromUrl(config.busUrl);
    cache = config.cacheUrl.startsWith('memory:') ? new MemoryCache() : new RedisCache(new Redis(config.cacheUrl, { lazyConnect: false, maxRetriesPerRequest: 2 }));
  } catch (err) {
    await nudger?.close();
    await bus?.close();
    await db.close();
    throw err;
  }

  const keyRing = config.masterKeys ? { ring: parseKeyRing(config.masterKeys), generated: false } : await loadOrCreateLocalKeyRing(config.dataDir);
  if (keyRing.generated) logger.warn({ dataDir: config.dataDir }, 'generated a local master key in DATA_DIR/master.key; set MASTER_KEYS from your secret store in production');
  const vault = new Vault(keyRing.ring);
  vault.onPlaintext((plaintext) => redactableValues(plaintext).forEach((v) => redactor.add(v)));

  const catalog = await loadCatalog(config.catalogDir || fileURLToPath(new URL('../catalog/', import.meta.url)), { overrides: config.catalogOverrides });
  const connections = new ConnectionService({
    store, vault, catalog, secrets: redactor, providers: config.providers,
    refresh: { marginMs: config.refreshMarginMs }, log: logger.child({ component: 'connections' }),
  });
  const serviceTokens = config.serviceTokenIssuers.length > 0
    ? new ServiceTokenVerifier({ audience: config.serviceTokenAudience, issuers: config.serviceTokenIssuers as never })
    : undefined;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const registry = new ConnectorRegistry(CONNECTORS);
  const meter = new RateWaitMeter();
  const runtime = new ConnectorRuntime({
    store, catalog, registry, cache, log: logger.child({ component: 'connectors' }), overrides: config.catalogOverrides,
    onRateLimitWait: meter.onRateLimitWait,
    buckets: redis ? redisBucketStore(redis) : memoryBucketStore(),
    tokens: {
      token: async (tenantId, id) => tokenOf(await connections.tokenForCall(tenantId, id)),
      // A 401 from the provider: refresh once, then read the new token.
      refresh: async (tenantId, id) => {
        const view = await connections.get(tenantId, id);
        // API keys and passwords cannot be refreshed; the provider's 401 stands.
        if (view.authMode !== 'api_key' && view.authMode !== 'basic') await connections.refresh(tenantId, id, { id: 'connector' });
        return tokenOf(await connections.tokenForCall(tenantId, id));
      },
    },
  });

  const queue = new Queue(nudger, config.retryScheduleMs ? { defaultSchedule: config.retryScheduleMs } : {});
  const runner = new SyncRunner({ store, queue, runtime, log: logger.child({ component: 'sync' }), meter });
  queue.register(runner.jobKind());
  const syncHandler = syncTriggerHandler({ store, registry, runner, log: logger.child({ component: 'sync-trigger' }) });
  const router = new WebhookRouter(config.webhookRoutes ?? DEFAULT_ROUTES, await webhookHandlers(config, logger, store, syncHandler));
  const mappings = new MappingService(store);
  const syncs = new SyncService({ store, registry, runner });
  const conflicts = new ConflictService({ store, runtime, log: logger.child({ component: 'conflicts' }) });
  const scheduler = roles.scheduler ? new Scheduler({ store, runner, log: logger.child({ component: 'scheduler' }), tickMs: config.syncSchedulerTickMs }) : undefined;
  queue.register(webhookProcessJob(store, router));

  // SQLite: a writer thread; PostgreSQL: one statement per batch; MySQL and in-memory SQLite: the store's transaction.
  const writer = !config.ingestGroupCommit ? undefined
    : config.ingestWriterThread && db.sqliteFile ? new SqliteIngestThread({ file: db.sqliteFile, synchronous: config.sqliteSynchronous })
      : db.kind === 'postgres' ? new PostgresIngestWriter(db.db)
        : undefined;
  const committer = new GroupCommitter(store, queue, {
    enabled: config.ingestGroupCommit,
    ...(writer ? { writer } : {}),
    maxBatch: 512,
    maxBytes: 8 * 1024 * 1024,
    // The writer thread merges every batch queued behind its current commit
    // into the next transaction, so batches in flight there only bound memory.
    // On a server database two batches in flight measured better than four
    // (bench/ingest/run.ts): fewer, larger statements. flushAt splits the
    // convoy of requests that arrive in one event-loop turn (docs/webhooks.md).
    maxConcurrent: db.caps.singleWriter ? (writer ? 8 : 1) : Math.max(1, Math.min(2, config.dbPoolMax - 1)),
    flushAt: 32,
  });
  const ingestor = new Ingestor({ store, box: vault, committer, metrics: webhookMetrics(metrics.registry), log: logger.child({ component: 'ingest' }), sourceCacheMs: config.webhookSourceCacheMs });
  const { onOutcome } = queueMetrics(metrics.registry, store);

  queue.register(deliverJob({ store, box: vault, runtime, triggerSync: async (tenantId, syncId, cause) => { await runner.enqueue(tenantId, syncId, { mode: 'incremental', trigger: 'webhook', dedupKey: `event:${cause.eventId}` }); } }));
  const refresher = roles.worker ? startRefresher(() => connections.refreshDue(), 30_000, (err) => logger.warn({ err }, 'token refresher tick failed')) : undefined;
  const consumer = roles.worker
    ? new SubscriptionConsumer({ store, bus, queue, topicTemplate: config.busTopicTemplate, log: logger.child({ component: 'subscriptions' }), refreshMs: config.subscriptionRefreshMs })
    : undefined;

  const api = await buildApi({
    store, logger, metrics, redactor, queue, ingestor, webhookMaxBodyBytes: config.webhookMaxBodyBytes, vault, cache,
    onSubscriptionsChanged: () => void consumer?.refresh(),
    connections, connectors: { registry, runtime, catalog }, connectRedirectOrigins: config.connectRedirectOrigins,
    sync: { mappings, syncs, conflicts },
    ...(serviceTokens ? { serviceTokens } : {}),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  }, { bodyLimit: config.bodyLimit, rateLimitMax: config.rateLimitMax, rateLimitWindowMs: config.rateLimitWindowMs, version: VERSION });

  const worker = roles.worker
    ? new Worker(store, queue, logger.child({ component: 'worker' }), { concurrency: config.workerConcurrency, leaseMs: config.workerLeaseMs, pollMs: config.workerPollMs,
      // Jobs emit domain events (webhook.received/processed, sync runs): publish them now, not at the next poll.
      onOutcome: (kind, outcome, ms) => { onOutcome(kind, outcome, ms); relay?.nudge(); },
    })
    : undefined;

  const relay = roles.worker
    ? new Relay(store, bus, topicNaming(config.busTopicTemplate), logger.child({ component: 'relay' }), {
      id: workerId(), batch: 500, leaseMs: 10_000, pollMs: config.relayPollMs, retryBaseMs: 500, retryMaxMs: 60_000, source: `/switchyard/${VERSION}`,
    })
    : undefined;

  let closing: Promise<void> | undefined;
  return {
    config, db, store, logger, redactor, metrics, queue, vault, catalog, connections, connectors: { registry, runtime }, bus, cache, relay, api, worker,
    listen: async () => {
      worker?.start();
      relay?.start();
      await consumer?.start();
      scheduler?.start();
      return roles.api ? api.listen({ host: config.host, port: config.port }) : '';
    },
    close: () => {
      closing ??= (async () => {
        await api.close();
        await committer.close();
        await consumer?.stop();
        await scheduler?.stop();
        await refresher?.stop();
        await worker?.stop();
        await relay?.stop();
        await connections.close();
        redis?.disconnect();
        await nudger.close();
        await bus.close();
        await cache.close();
        await db.close();
      })();
      return closing;
    },
  };
}
