import { z } from 'zod';

/**
 * Every setting of the hub, with its default. The env name of each key is
 * listed in ENV_NAMES; `.env.example` documents them all and a test keeps the
 * three in step.
 */
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
};
