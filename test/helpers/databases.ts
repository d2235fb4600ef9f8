import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createConnection } from 'mysql2/promise';

export type TestDialect = 'sqlite' | 'postgres' | 'mysql';

/** Where the machine's services listen; overridable for other setups. */
export const SERVICE_URLS = {
  postgres: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
};

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A fresh, empty database for one test file, so files run in parallel. A
 * server that cannot be reached fails the test: there is no silent skip.
 */
export async function createTestDatabase(dialect: TestDialect, label = 'test'): Promise<TestDatabase> {
  const name = `sy_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    return { url: `sqlite:${join(dir, 'switchyard.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: SERVICE_URLS.postgres, connectionTimeoutMillis: 5000 });
    await admin.connect().catch((err: Error) => {
      throw new Error(`PostgreSQL is not reachable at ${SERVICE_URLS.postgres}: ${err.message}`);
    });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const base = new URL(SERVICE_URLS.postgres);
    base.pathname = `/${name}`;
    return {
      url: base.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: SERVICE_URLS.postgres });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const admin = await createConnection({ uri: SERVICE_URLS.mysql, connectTimeout: 5000 }).catch((err: Error) => {
    throw new Error(`MariaDB/MySQL is not reachable at ${SERVICE_URLS.mysql}: ${err.message}`);
  });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `${SERVICE_URLS.mysql.replace(/\/$/, '')}/${name}`,
    drop: async () => {
      const c = await createConnection({ uri: SERVICE_URLS.mysql });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}
