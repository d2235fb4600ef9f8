import { z } from 'zod';

/**
 * Every setting of the hub, with its default. The env name of each key is
 * listed in ENV_NAMES; `.env.example` documents them all and a test keeps the
 * three in step.
 */
/** Env values arrive as strings: JSON-shaped settings are parsed, booleans spelled out. */
const json = <T extends z.ZodType>(inner: T) => z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch (_err) {
    return v;
  }
}, inner);
const bool = z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());
const msList = z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((x) => Number(x.trim())) : v), z.array(z.number().int().min(0)).max(50));

export const configSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The URL providers reach this hub at; webhook source URLs are built from it. */
  publicUrl: z.url().optional(),
  databaseUrl: z.string().refine((v) => /^(sqlite:|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/.test(v), {
    message: 'must start with sqlite:, postgres://, postgresql://, mysql:// or mariadb://',
  }).default('sqlite:./data/switchyard.db'),
  /** FULL: a commit survives power loss; NORMAL (WAL) only survives a process crash. */
  sqliteSynchronous: z.enum(['FULL', 'NORMAL']).default('FULL'),
  dbPoolMax: z.coerce.number().int().min(1).max(500).default(10),
  dataDir: z.string().min(1).default('./data'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Maximum request body for the API in bytes. */
  bodyLimit: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  /** Requests per API key (or per IP when unauthenticated) per window. */
  rateLimitMax: z.coerce.number().int().min(1).default(1200),
  rateLimitWindowMs: z.coerce.number().int().min(100).default(60_000),
  /** How long shutdown waits for in-flight requests before closing connections. */
  shutdownGraceMs: z.coerce.number().int().min(0).default(10_000),

  /** Largest webhook body accepted (413 above it). */
  webhookMaxBodyBytes: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Group concurrent deliveries into one transaction (false: one commit per request). */
  ingestGroupCommit: bool.default(true),
  ingestWriterThread: bool.default(true),
  /** How long the receiver caches a source's settings; other processes see changes after this. */
  webhookSourceCacheMs: z.coerce.number().int().min(0).default(2000),
  /** Routes from (provider, event type) patterns to handler names. */
  webhookRoutes: json(z.array(z.object({ provider: z.string().min(1), type: z.string().min(1), handlers: z.array(z.string().min(1)).min(1) }).strict())).optional(),
  /** Custom handler modules: name → path of a module whose default export handles an event. */
  webhookHandlers: json(z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), z.string().min(1))).default({}),
  /** Delays before each retry of a failed job, in ms; after the last, the job is dead. */
  retryScheduleMs: msList.optional(),
  workerConcurrency: z.coerce.number().int().min(1).max(1000).default(8),
  workerPollMs: z.coerce.number().int().min(10).default(500),
  workerLeaseMs: z.coerce.number().int().min(1000).default(30_000),

  /** Where domain events go: memory://, redis://…?mode=pubsub|streams, nats://…, amqp://…, kafka://… */
  busUrl: z.string().regex(/^(memory|redis|rediss|nats|tls|amqp|amqps|kafka):\/\//, 'must be memory://, redis://, nats://, amqp:// or kafka://').default('memory://'),
  /** Bus topic per event: {tenant} and {type} are filled in. */
  busTopicTemplate: z.string().min(1).default('switchyard.{tenant}.{type}'),
  /** How often an idle outbox relay looks for new events. */
  relayPollMs: z.coerce.number().int().min(10).default(200),
  /** The cache: memory:// (per process) or redis://… (shared). */
  /** Master key ring `kid:base64key[,kid:base64key]`, primary first. Absent: a local key is generated in DATA_DIR (development only). */
  masterKeys: z.string().min(1).optional(),
  /** How often event consumers re-check the subscription list. */
  subscriptionRefreshMs: z.coerce.number().int().min(100).default(2000),
  /** Where the provider catalog's YAML files are; empty means the catalog shipped with the hub. */
  catalogDir: z.string().default(''),
  /** URL overrides per provider, JSON: {"hubspot":{"api.baseUrl":"http://127.0.0.1:4010"}} (docs/catalog.md). */
  catalogOverrides: json(z.record(z.string(), z.record(z.string(), z.string()))).default({}),
  /** App registrations per provider, JSON: {"hubspot":{"clientId":"…","clientSecret":"…","scopes":[…]}} (docs/connections.md). */
  providers: json(z.record(z.string(), z.object({
    clientId: z.string().optional(), clientSecret: z.string().optional(), privateKey: z.string().optional(),
    scopes: z.array(z.string()).optional(), overrides: z.record(z.string(), z.string()).optional(),
  }).strict())).default({}),
  /** Origins the connect flow may redirect back to (comma list); empty = any http(s) URL. */
  connectRedirectOrigins: z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v), z.array(z.url())).default([]),
  /** Refresh tokens this long before they expire. */
  refreshMarginMs: z.coerce.number().int().min(0).default(300_000),
  /** Services that may call the token API with an X-Service-Token JWT, JSON: [{"issuer":"billing","secret":"≥32 bytes"} | {"issuer":…,"publicKey":"Ed25519 SPKI PEM"}]. */
  serviceTokenIssuers: json(z.array(z.object({ issuer: z.string().min(1), secret: z.string().min(32).optional(), publicKey: z.string().optional(), tenants: z.array(z.string()).optional() }).strict())).default([]),
  serviceTokenAudience: z.string().min(1).default('switchyard'),
  /** Share provider rate-limit budgets across processes through this Redis; empty = per process. */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be redis://').optional(),
  /** How often the scheduler looks for due sync schedules. */
  syncSchedulerTickMs: z.coerce.number().int().min(100).default(1000),
  cacheUrl: z.string().regex(/^(memory|redis|rediss):\/\//, 'must be memory:// or redis://').default('memory://'),
}).strict();

export type Config = Readonly<z.infer<typeof configSchema>>;

export const ENV_NAMES: Record<keyof z.infer<typeof configSchema>, string> = {
  host: 'HOST',
  port: 'PORT',
  publicUrl: 'PUBLIC_URL',
  databaseUrl: 'DATABASE_URL',
  sqliteSynchronous: 'SQLITE_SYNCHRONOUS',
  dbPoolMax: 'DB_POOL_MAX',
  dataDir: 'DATA_DIR',
  logLevel: 'LOG_LEVEL',
  bodyLimit: 'BODY_LIMIT',
  rateLimitMax: 'RATE_LIMIT_MAX',
  rateLimitWindowMs: 'RATE_LIMIT_WINDOW_MS',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  webhookMaxBodyBytes: 'WEBHOOK_MAX_BODY_BYTES',
  ingestGroupCommit: 'INGEST_GROUP_COMMIT',
  ingestWriterThread: 'INGEST_WRITER_THREAD',
  webhookSourceCacheMs: 'WEBHOOK_SOURCE_CACHE_MS',
  webhookRoutes: 'WEBHOOK_ROUTES',
  webhookHandlers: 'WEBHOOK_HANDLERS',
  retryScheduleMs: 'RETRY_SCHEDULE_MS',
  workerConcurrency: 'WORKER_CONCURRENCY',
  workerPollMs: 'WORKER_POLL_MS',
  workerLeaseMs: 'WORKER_LEASE_MS',
  busUrl: 'BUS_URL',
  busTopicTemplate: 'BUS_TOPIC_TEMPLATE',
  relayPollMs: 'RELAY_POLL_MS',
  cacheUrl: 'CACHE_URL',
  catalogDir: 'CATALOG_DIR',
  catalogOverrides: 'CATALOG_OVERRIDES',
  providers: 'PROVIDERS',
  connectRedirectOrigins: 'CONNECT_REDIRECT_ORIGINS',
  refreshMarginMs: 'REFRESH_MARGIN_MS',
  serviceTokenIssuers: 'SERVICE_TOKEN_ISSUERS',
  serviceTokenAudience: 'SERVICE_TOKEN_AUDIENCE',
  redisUrl: 'REDIS_URL',
  syncSchedulerTickMs: 'SYNC_SCHEDULER_TICK_MS',
  masterKeys: 'MASTER_KEYS',
  subscriptionRefreshMs: 'SUBSCRIPTION_REFRESH_MS',
};
