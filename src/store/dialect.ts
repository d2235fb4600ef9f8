import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { createPool } from 'mysql2';
import type { DB } from './schema.ts';

export type DialectKind = 'sqlite' | 'postgres' | 'mysql';

/** What a dialect can do; services branch on these, never on the dialect name. */
export interface Capabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED` for concurrent queue claims. */
  skipLocked: boolean;
  /** `INSERT/UPDATE … RETURNING`. */
  returning: boolean;
  /** LISTEN/NOTIFY to nudge waiting workers. */
  listenNotify: boolean;
  /** Only one writer at a time (SQLite): claims need no row locks. */
  singleWriter: boolean;
}

const CAPABILITIES: Record<DialectKind, Capabilities> = {
  sqlite: { skipLocked: false, returning: true, listenNotify: false, singleWriter: true },
  postgres: { skipLocked: true, returning: true, listenNotify: true, singleWriter: false },
  mysql: { skipLocked: true, returning: false, listenNotify: false, singleWriter: false },
};

export interface DatabaseHandle {
  kind: DialectKind;
  caps: Capabilities;
  db: Kysely<DB>;
  /** A redacted form of the URL for logs. */
  describe: string;
  /** SQLite: the database file's absolute path (undefined in memory), for a second connection on another thread. */
  sqliteFile?: string;
  close: () => Promise<void>;
}

/**
 * How many WAL pages a commit lets pile up before it copies them back into
 * the database file (SQLite's default is 1000). Ingest dirties one random
 * page of the dedup index per delivery, and the same pages again and again;
 * a longer WAL copies each of them once per checkpoint rather than once per
 * few commits. Measured with bench/ingest (docs/webhooks.md): about a fifth
 * more deliveries per second, for a WAL file of up to ~40 MB and a longer
 * pause at each checkpoint. Every connection to the file uses the same value,
 * so that no one connection checkpoints for all the others.
 */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000;

export interface OpenOptions {
  poolMax?: number;
  sqliteSynchronous?: 'FULL' | 'NORMAL';
}

export function dialectOf(url: string): DialectKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new Error(`DATABASE_URL must start with sqlite:, postgres:// or mysql:// (got ${redactUrl(url)})`);
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

// BIGINT (int8) comes back from pg as a string by default; our BIGINTs are
// epoch milliseconds, which fit a double exactly.
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
};

export function openDatabase(url: string, opts: OpenOptions = {}): DatabaseHandle {
  const kind = dialectOf(url);
  const poolMax = opts.poolMax ?? 10;
  if (kind === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    const inMemory = file === ':memory:' || file === '';
    if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new SQLite(inMemory ? ':memory:' : file);
    sqlite.pragma('journal_mode = WAL');
    // FULL fsyncs the WAL on every commit: a 2xx after commit survives power
    // loss. Group commit amortises that fsync over many requests.
    sqlite.pragma(`synchronous = ${opts.sqliteSynchronous ?? 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { kind, caps: CAPABILITIES.sqlite, db, describe: `sqlite:${inMemory ? ':memory:' : resolve(file)}`, ...(inMemory ? {} : { sqliteFile: resolve(file) }), close: () => db.destroy() };
  }
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: poolMax, types: pgTypes, connectionTimeoutMillis: 5000 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { kind, caps: CAPABILITIES.postgres, db, describe: redactUrl(url), close: () => db.destroy() };
  }
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: poolMax,
    supportBigNumbers: true,
    bigNumberStrings: false,
    connectTimeout: 5000,
  });
  const db = new Kysely<DB>({ dialect: new MysqlDialect({ pool }) });
  return { kind, caps: CAPABILITIES.mysql, db, describe: redactUrl(url), close: () => db.destroy() };
}

/**
 * Kysely prepares every statement anew; on SQLite preparing costs as much as
 * running a small insert. Statements are pure functions of their SQL text,
 * and better-sqlite3 runs each to completion synchronously, so a small LRU
 * of prepared statements is safe to share.
 */
function withStatementCache(db: SQLite.Database, size = 256): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (text: string) => {
    // Kysely opens transactions with a deferred BEGIN. With a second
    // connection writing (the ingest thread, another process), a deferred
    // transaction that reads before it writes fails with SQLITE_BUSY_SNAPSHOT
    // instead of waiting; IMMEDIATE takes the write lock up front, so
    // busy_timeout applies.
    const source = text === 'begin' ? 'begin immediate' : text;
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = db.prepare(source);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  };
  return new Proxy(db, {
    get: (target, prop) => {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}

const TRANSIENT_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', '40P01', '40001', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);

/** Deadlocks, lock timeouts and serialization failures: the transaction can simply run again. */
export function isTransient(err: unknown): boolean {
  return TRANSIENT_CODES.has(String((err as { code?: unknown })?.code));
}

/** Runs a whole transaction again when the database aborted it for a transient reason. */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isTransient(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}

const UNIQUE_CODES = new Set(['23505', 'ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

export function isUniqueViolation(err: unknown): boolean {
  return UNIQUE_CODES.has(String((err as { code?: unknown })?.code));
}
