import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../helpers/databases.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { migrateDown, migrateUp, migrationStatus } from '../../src/store/migrate.ts';
import { createApiKey, createTenant, revokeApiKey } from '../../src/tenancy/tenants.ts';
import { authenticateKey } from '../../src/tenancy/authenticate.ts';
import { HubError } from '../../src/domain/errors.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

/** The same store suite for every dialect; each dialect's file calls this once. */
export function storeSuite(dialect: TestDialect): void {
  describe(`store on ${dialect}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    let store: Store;

    before(async () => {
      tdb = await createTestDatabase(dialect, 'store');
      handle = openDatabase(tdb.url, { poolMax: 4 });
      store = createStore(handle);
    });
    after(async () => {
      await handle?.close();
      await tdb?.drop();
    });

    test('migrations go up, down and up again', async () => {
      const applied = await migrateUp(handle.db);
      assert.deepEqual(applied, Object.keys(MIGRATIONS));
      assert.ok((await migrationStatus(handle.db)).every((m) => m.executedAt !== null));
      assert.equal(await store.migrationsCurrent(), true);

      const reverted = await migrateDown(handle.db, true);
      assert.deepEqual(reverted, Object.keys(MIGRATIONS).reverse());
      assert.equal(await store.migrationsCurrent(), false);
      await assert.rejects(sql`select count(*) from tenants`.execute(handle.db));

      assert.deepEqual(await migrateUp(handle.db), Object.keys(MIGRATIONS));
      assert.deepEqual(await migrateUp(handle.db), [], 'a second up is a no-op');
    });

    test('capability flags match the dialect', () => {
      assert.equal(store.kind, dialect);
      assert.equal(store.caps.skipLocked, dialect !== 'sqlite');
      assert.equal(store.caps.listenNotify, dialect === 'postgres');
      assert.equal(store.caps.returning, dialect !== 'mysql');
    });

    test('a tenant-bound repository never returns another tenant\'s rows', async () => {
      const a = await createTenant(store, 'tenant-a', { id: 'test' });
      const b = await createTenant(store, 'tenant-b', { id: 'test' });
      const ka = await createApiKey(store, a.id, { name: 'a1', scopes: ['admin'] }, { id: 'test' });
      const kb = await createApiKey(store, b.id, { name: 'b1', scopes: ['webhooks:read'] }, { id: 'test' });

      const listA = await store.forTenant(a.id).apiKeys.list();
      assert.deepEqual(listA.items.map((k) => k.id), [ka.record.id]);
      assert.equal(await store.forTenant(a.id).apiKeys.get(kb.record.id), undefined, 'B\'s key is invisible through A');
      assert.equal(await store.forTenant(a.id).apiKeys.revoke(kb.record.id, Date.now()), false, 'A cannot revoke B\'s key');
      assert.equal((await store.forTenant(b.id).apiKeys.get(kb.record.id))?.revokedAt, null);

      const auditA = await store.forTenant(a.id).auditLog.list();
      assert.ok(auditA.items.length >= 2);
      assert.ok(auditA.items.every((e) => e.target !== b.id && e.target !== kb.record.id), 'A\'s audit log holds none of B\'s entries');
      const auditB = await store.forTenant(b.id).auditLog.list({ action: 'api_key.create' });
      assert.deepEqual(auditB.items.map((e) => e.target), [kb.record.id]);
    });

    test('API keys are stored hashed and found by prefix', async () => {
      const t = await createTenant(store, 'keys-tenant', { id: 'test' });
      const { key, record } = await createApiKey(store, t.id, { name: 'svc', scopes: ['webhooks:read', 'webhooks:write'] }, { id: 'test' });
      const rows = await sql<{ prefix: string; hash: string; salt: string }>`select prefix, hash, salt from api_keys where id = ${record.id}`.execute(handle.db);
      const row = rows.rows[0]!;
      const secret = key.slice('sy_'.length + 12 + 1);
      assert.ok(key.includes(row.prefix));
      assert.ok(!row.hash.includes(secret) && !row.salt.includes(secret), 'the secret is not stored in clear');

      const ok = await authenticateKey(store, key);
      assert.ok(ok.ok);
      assert.deepEqual(ok.ok && ok.principal, { tenantId: t.id, keyId: record.id, scopes: ['webhooks:read', 'webhooks:write'] });

      const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      assert.deepEqual(await authenticateKey(store, tampered), { ok: false, reason: 'mismatch' });
      assert.deepEqual(await authenticateKey(store, 'sy_nope'), { ok: false, reason: 'malformed' });
      assert.deepEqual(await authenticateKey(store, `sy_zzzzzzzzzzzz_${secret}`), { ok: false, reason: 'unknown' });

      await revokeApiKey(store, t.id, record.id, { id: 'test' });
      assert.deepEqual(await authenticateKey(store, key), { ok: false, reason: 'revoked' });
      await assert.rejects(revokeApiKey(store, t.id, record.id, { id: 'test' }), (e: unknown) => e instanceof HubError && e.code === 'conflict');
    });

    test('keyset pagination walks every key once', async () => {
      const t = await createTenant(store, 'paging', { id: 'test' });
      for (let i = 0; i < 7; i++) await createApiKey(store, t.id, { name: `k${i}`, scopes: ['admin'] }, { id: 'test' });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await store.forTenant(t.id).apiKeys.list({ limit: 3, ...(cursor ? { cursor } : {}) });
        assert.ok(p.items.length <= 3);
        seen.push(...p.items.map((k) => k.name));
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, ['k6', 'k5', 'k4', 'k3', 'k2', 'k1', 'k0']);
    });

    test('writes that belong together roll back together', async () => {
      const before = await store.tenants.count();
      await assert.rejects(store.transaction(async (tx) => {
        await tx.tenants.create({ id: 'ten_rollback', name: 'rollback', createdAt: Date.now() });
        throw new Error('boom');
      }), /boom/);
      assert.equal(await store.tenants.count(), before);
      assert.equal(await store.tenants.byName('rollback'), undefined);
      // A duplicate name fails the whole createTenant, leaving no audit row behind.
      const dup = await createTenant(store, 'dup', { id: 'test' });
      await assert.rejects(createTenant(store, 'dup', { id: 'test' }), (e: unknown) => e instanceof HubError && e.code === 'conflict');
      const creates = (await store.forTenant(dup.id).auditLog.list({ action: 'tenant.create' })).items;
      assert.equal(creates.length, 1);
    });
  });
}
