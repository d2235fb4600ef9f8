import { createTestDatabase, type TestDialect } from './databases.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { createSource } from '../../src/webhooks/sources.ts';
import { Vault, formatKeyRing, generateMasterKey, parseKeyRing } from '../../src/vault/index.ts';
import type { IncomingEvent } from '../../src/webhooks/group-commit.ts';

export interface IngestDatabase {
  handle: DatabaseHandle;
  store: Store;
  tenantId: string;
  /** A GitHub webhook source of that tenant. */
  sourceId: string;
  /** A received GitHub delivery to that source, as group commit takes it. */
  incoming: (dedupKey: string) => IncomingEvent;
  close: () => Promise<void>;
}

/** What every ingest-writer test starts from: a fresh, migrated database with one tenant and one webhook source. */
export async function ingestDatabase(dialect: TestDialect, label: string): Promise<IngestDatabase> {
  const tdb = await createTestDatabase(dialect, label);
  const handle = openDatabase(tdb.url);
  await migrateUp(handle.db);
  const store = createStore(handle);
  const tenantId = (await createTenant(store, 'acme', { id: 'test' })).id;
  const vault = new Vault(parseKeyRing(formatKeyRing([generateMasterKey()])));
  const sourceId = (await createSource(store, vault, tenantId, { provider: 'github', name: 'hooks', secrets: ['s'] }, { id: 'test' })).id;
  return {
    handle, store, tenantId, sourceId,
    incoming: (dedupKey) => ({
      tenantId, sourceId, provider: 'github', eventType: 'issues', dedupKey, body: Buffer.from(`{"k":"${dedupKey}"}`), headers: {}, receivedAt: Date.now(),
    }),
    close: async () => {
      await handle.close();
      await tdb.drop();
    },
  };
}
