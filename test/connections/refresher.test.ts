import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../sandbox/hubspot/app-credentials.ts';
import { sealCredentials } from '../../src/connections/credentials.ts';
import { newId } from '../../src/domain/ids.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { startTestApp, testCatalog, type TestApp } from './helpers.ts';

/**
 * The background refresher (worker role): due connections are refreshed
 * ahead of expiry; a provider outage backs off and reads keep getting the
 * still-valid token.
 */
let tdb: TestDatabase;
let hub: TestApp;
let fake: Awaited<ReturnType<typeof startHubSpot>>;

before(async () => {
  fake = await startHubSpot();
  tdb = await createTestDatabase('sqlite', 'refresher');
  hub = await startTestApp({
    databaseUrl: tdb.url, catalog: await testCatalog(),
    providers: { hubspot: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, overrides: { 'auth.oauth2.tokenUrl': `${fake.url}/oauth/v1/token`, 'api.baseUrl': fake.url } } },
    service: { rowCacheMs: 0 },
  });
});
after(async () => {
  await hub?.close();
  await fake?.close();
  await tdb?.drop();
});

async function nearlyExpired(): Promise<string> {
  const installed = fake.ctx.oauth.mint(SANDBOX_CLIENT_ID, '62515', 'oauth', true);
  const id = newId('connection');
  const expiresAt = Date.now() + 60_000;
  const creds = { mode: 'oauth2', secret: {}, token: { accessToken: installed.access_token, refreshToken: installed.refresh_token!, tokenType: 'bearer', expiresAt } };
  await hub.store.forTenant(hub.tenantId).connections.create({ id, provider: 'hubspot', externalId: id, authMode: 'oauth2', sealedCredentials: sealCredentials(hub.vault, hub.tenantId, id, creds), expiresAt, nextRefreshAt: expiresAt - 300_000, config: {}, now: Date.now() });
  return installed.access_token;
}

const calls = () => fake.ctx.oauth.calls.refresh_token ?? 0;

test('refreshDue refreshes what is due, once, and then nothing', async () => {
  await nearlyExpired();
  const before = calls();
  assert.deepEqual(await hub.service.refreshDue(), { refreshed: 1, failed: 0 });
  assert.equal(calls(), before + 1);
  assert.deepEqual(await hub.service.refreshDue(), { refreshed: 0, failed: 0 });
  const [conn] = (await hub.store.forTenant(hub.tenantId).connections.list()).items;
  assert.ok(conn!.nextRefreshAt! > Date.now() + 1000_000, 'the next refresh is planned near the new expiry');
  const audit = (await hub.store.forTenant(hub.tenantId).auditLog.list({ action: 'connection.refreshed' })).items;
  assert.equal(audit[0]!.actor, 'system:refresher');
});

test('a provider outage backs off, and reads keep the still-valid token', async () => {
  const current = await nearlyExpired();
  await fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 1, errorStatus: 503 }) });
  try {
    const result = await hub.service.refreshDue();
    assert.equal(result.failed, 1);
    const conn = (await hub.store.forTenant(hub.tenantId).connections.byExternalId('hubspot', (await hub.store.forTenant(hub.tenantId).connections.list({ limit: 1 })).items[0]!.externalId))!;
    assert.equal(conn.status, 'active');
    assert.equal(conn.refreshFailures, 1);
    assert.match(conn.lastRefreshError!, /^transient/);
    assert.ok(conn.nextRefreshAt! > Date.now() + 10_000, 'backed off');
    const before = calls();
    const r = await fetch(`${hub.url}/api/v1/connections/${conn.id}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { accessToken: string }).accessToken, current);
    assert.equal(calls(), before, 'a read inside the backoff window does not call the provider');
  } finally {
    await fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
  }
});
