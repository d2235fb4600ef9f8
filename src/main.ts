import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import { openDatabase, type DatabaseHandle } from './store/dialect.ts';
import { createStore, type Store } from './store/store.ts';
import { migrateUp } from './store/migrate.ts';
import { Redactor } from './observability/redact.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { buildApi } from './api/app.ts';
import type { DestinationStream } from 'pino';

export const VERSION = '0.1.0';

/**
 * The composition root: the one place that turns configuration into
 * concrete adapters (dialect, logger, metrics) and wires services to them.
 */
export interface Hub {
  config: Config;
  db: DatabaseHandle;
  store: Store;
  logger: Logger;
  redactor: Redactor;
  metrics: Metrics;
  api: FastifyInstance;
  /** Starts listening; resolves to the base URL. */
  listen: () => Promise<string>;
  /** Stops accepting, drains in-flight requests, closes the database. Safe to call twice. */
  close: () => Promise<void>;
}

export interface HubOptions {
  logDestination?: DestinationStream;
  /** Run pending migrations before serving (default true). */
  migrate?: boolean;
}

export function openStore(config: Config): { db: DatabaseHandle; store: Store } {
  const db = openDatabase(config.databaseUrl, { poolMax: config.dbPoolMax, sqliteSynchronous: config.sqliteSynchronous });
  return { db, store: createStore(db) };
}

export async function createHub(config: Config, opts: HubOptions = {}): Promise<Hub> {
  const redactor = new Redactor();
  const logger = createLogger({ level: config.logLevel, redactor, ...(opts.logDestination ? { destination: opts.logDestination } : {}) });
  const metrics = createMetrics();
  const { db, store } = openStore(config);
  try {
    if (opts.migrate !== false) await migrateUp(db.db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const api = await buildApi({ store, logger, metrics }, {
    bodyLimit: config.bodyLimit,
    rateLimitMax: config.rateLimitMax,
    rateLimitWindowMs: config.rateLimitWindowMs,
    version: VERSION,
  });
  let closing: Promise<void> | undefined;
  return {
    config, db, store, logger, redactor, metrics, api,
    listen: async () => api.listen({ host: config.host, port: config.port }),
    close: () => {
      closing ??= (async () => {
        await api.close();
        await db.close();
      })();
      return closing;
    },
  };
}
