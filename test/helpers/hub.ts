import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { createHub, type Hub } from '../../src/main.ts';
import { createApiKey, createTenant } from '../../src/tenancy/tenants.ts';
import { createTestDatabase, type TestDialect } from './databases.ts';

export interface TestHub {
  hub: Hub;
  adminKey: string;
  tenantId: string;
  /** Every log line the hub wrote, as text (for redaction checks). */
  logs: string[];
  close: () => Promise<void>;
}

/** A real hub on a fresh database with one tenant and an admin key; logs are captured, not printed. */
export async function startTestHub(opts: { dialect?: TestDialect; env?: Record<string, string>; tenant?: string } = {}): Promise<TestHub> {
  const tdb = await createTestDatabase(opts.dialect ?? 'sqlite', 'hub');
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-data-'));
  const config = loadConfig({ env: { DATABASE_URL: tdb.url, PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...opts.env } });
  const hub = await createHub(config, { logDestination: destination });
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  let key: string;
  try {
    tenant = await createTenant(hub.store, opts.tenant ?? 'acme', { id: 'test' });
    key = (await createApiKey(hub.store, tenant.id, { name: 'test admin', scopes: ['admin'] }, { id: 'test' })).key;
  } catch (err) {
    // A hub left open would keep the test process alive after the failure.
    await hub.close();
    await tdb.drop();
    throw err;
  }
  return {
    hub, adminKey: key, tenantId: tenant.id, logs,
    close: async () => {
      await hub.close();
      await tdb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
