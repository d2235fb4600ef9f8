import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../sandbox/hubspot/app-credentials.ts';
import { openCredentials, sealCredentials, type Credentials } from '../../src/connections/credentials.ts';
import { newId } from '../../src/domain/ids.ts';
import { Redactor } from '../../src/observability/redact.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { createApiKey, createTenant } from '../../src/tenancy/tenants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { HubChild } from './hub-child.ts';
import { newKeyRingText, vaultOf } from './helpers.ts';

/**
 * The refresh storm: two hub processes on one PostgreSQL database, 100
 * concurrent token requests for a connection whose token has expired, a
 * HubSpot fake that rotates refresh tokens. The fake counts its token
 * endpoint calls: there must be exactly one refresh, and the rotated
 * refresh token must be the one stored.
 */
let tdb: TestDatabase;
let db: DatabaseHandle;
let store: Store;
let fake: Awaited<ReturnType<typeof startHubSpot>>;
const children: HubChild[] = [];
const keyRing = newKeyRingText();
const vault = vaultOf(keyRing);
let tenantId = '';
let key = '';

before(async () => {
  tdb = await createTestDatabase('postgres', 'storm');
  db = openDatabase(tdb.url, { poolMax: 4 });
  store = createStore(db);
  await migrateUp(db.db);
  tenantId = (await createTenant(store, 'storm', { id: 'test' })).id;
  key = (await createApiKey(store, tenantId, { name: 'reader', scopes: ['tokens:read', 'connections:write'] }, { id: 'test' })).key;
  fake = await startHubSpot({ oauth: { rotateRefreshToken: true } });
  const providers = {
    hubspot: {
      clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET,
      overrides: { 'auth.oauth2.tokenUrl': `${fake.url}/oauth/v1/token`, 'auth.oauth2.authorizationUrl': `${fake.url}/oauth/authorize`, 'api.baseUrl': fake.url },
    },
  };
  for (let i = 0; i < 2; i++) children.push(new HubChild({ databaseUrl: tdb.url, keyRing, tenantId, adminKey: key, providers }));
  await Promise.all(children.map((c) => c.ready()));
});

after(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await fake?.close();
  await db?.close();
  await tdb?.drop();
});

async function expiredConnection(externalId: string): Promise<{ id: string; refreshToken: string }> {
  const id = newId('connection');
  const creds: Credentials = {
    mode: 'oauth2', secret: {},
    token: { accessToken: fake.credentials.oauthAccessToken!, refreshToken: fake.credentials.oauthRefreshToken!, tokenType: 'bearer', expiresAt: Date.now() - 60_000 },
  };
  await store.forTenant(tenantId).connections.create({
    id, provider: 'hubspot', externalId, authMode: 'oauth2', sealedCredentials: sealCredentials(vault, tenantId, id, creds),
    expiresAt: creds.token!.expiresAt, nextRefreshAt: creds.token!.expiresAt, config: {}, now: Date.now(),
  });
  return { id, refreshToken: creds.token!.refreshToken! };
}

const refreshCalls = async () => ((await (await fetch(`${fake.url}/_sandbox/oauth/calls`)).json()) as Record<string, number>).refresh_token ?? 0;

test('100 concurrent token reads from two processes cause one refresh, and the rotated refresh token is kept', async () => {
  const { id, refreshToken: original } = await expiredConnection('portal-1');
  const before = await refreshCalls();

  const reads = Array.from({ length: 100 }, (_, i) => fetch(`${children[i % 2]!.url}/api/v1/connections/${id}/token`, { headers: { authorization: `Bearer ${key}` } }));
  const answers = await Promise.all(reads);
  const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, body: await r.json() as { accessToken: string; expiresAt: number } })));

  assert.deepEqual(bodies.map((b) => b.status), Array(100).fill(200));
  const tokens = new Set(bodies.map((b) => b.body.accessToken));
  assert.equal(tokens.size, 1, 'every caller got the same fresh token');
  assert.notEqual([...tokens][0], fake.credentials.oauthAccessToken);
  assert.ok(bodies[0]!.body.expiresAt > Date.now());
  assert.equal(await refreshCalls(), before + 1, 'exactly one refresh reached the token endpoint');

  const conn = (await store.forTenant(tenantId).connections.get(id))!;
  const stored = openCredentials(vault, new Redactor(), tenantId, id, conn.sealedCredentials);
  assert.equal(stored.token!.accessToken, [...tokens][0]);
  assert.notEqual(stored.token!.refreshToken, original, 'the fake rotated the refresh token');
  assert.ok(fake.ctx.oauth.refresh.has(stored.token!.refreshToken!), 'the stored refresh token is the live one at the provider');
  assert.ok(!fake.ctx.oauth.refresh.has(original), 'the old one is retired');
  assert.equal(conn.credentialsVersion, 2, 'one credentials write');

  // The stored refresh token works: a forced refresh through the other process succeeds.
  const forced = await fetch(`${children[1]!.url}/api/v1/connections/${id}/refresh`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  assert.equal(forced.status, 200, await forced.clone().text());
  assert.equal(await refreshCalls(), before + 2);
  const auditRefreshes = (await store.forTenant(tenantId).auditLog.list({ action: 'connection.refreshed', limit: 50 })).items.filter((e) => e.target === id);
  assert.equal(auditRefreshes.length, 2);
});
