import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../sandbox/hubspot/app-credentials.ts';
import { sealCredentials } from '../../src/connections/credentials.ts';
import { connectionRotationSource } from '../../src/connections/rotation-source.ts';
import { newId } from '../../src/domain/ids.ts';
import { formatKeyRing, generateMasterKey, parseKeyRing, rotateAll, Vault } from '../../src/vault/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { startTestApp, testCatalog, type TestApp } from './helpers.ts';

/**
 * Master-key rotation over connections: every row is re-wrapped under the
 * new key, tokens keep flowing while it runs, a refresh that re-seals a row
 * mid-rotation is not overwritten, and no plaintext secret is in the tables.
 */
let tdb: TestDatabase;
let hub: TestApp;
let fake: Awaited<ReturnType<typeof startHubSpot>>;

before(async () => {
  fake = await startHubSpot({ oauth: { rotateRefreshToken: true } });
  tdb = await createTestDatabase('sqlite', 'rotation');
  hub = await startTestApp({
    databaseUrl: tdb.url, catalog: await testCatalog(),
    providers: { hubspot: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, overrides: { 'auth.oauth2.tokenUrl': `${fake.url}/oauth/v1/token`, 'api.baseUrl': fake.url } } },
  });
});
after(async () => {
  await hub?.close();
  await fake?.close();
  await tdb?.drop();
});

const kidOf = (sealed: string) => sealed.split('.')[1];

test('rotation re-wraps every connection under the new key; old and new keys both open until then', async () => {
  const keys: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${hub.url}/api/v1/connections`, {
      method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'hubspot', externalId: `pa-${i}`, authMode: 'api_key', credentials: { apiKey: `pat-secret-value-${i}-abcdef` } }),
    });
    assert.equal(res.status, 201);
    keys.push(((await res.json()) as { id: string }).id);
  }
  // One OAuth connection with a live refresh token at the fake, sealed under the old key.
  const oauthId = newId('connection');
  const creds = { mode: 'oauth2', secret: {}, token: { accessToken: fake.credentials.oauthAccessToken!, refreshToken: fake.credentials.oauthRefreshToken!, tokenType: 'bearer', expiresAt: Date.now() - 1 } };
  await hub.store.forTenant(hub.tenantId).connections.create({ id: oauthId, provider: 'hubspot', externalId: 'oauth-1', authMode: 'oauth2', sealedCredentials: sealCredentials(hub.vault, hub.tenantId, oauthId, creds), expiresAt: Date.now() - 1, nextRefreshAt: null, config: {}, now: Date.now() });

  const oldKid = parseKeyRing(hub.keyRingText).primaryKid;
  const next = generateMasterKey('k-next');
  const newRing = `${formatKeyRing([next])},${hub.keyRingText}`;
  const newVault = new Vault(parseKeyRing(newRing));

  // A second hub on the new ring serves tokens for rows still under the old key.
  const hub2 = await startTestApp({ databaseUrl: tdb.url, catalog: hub.service.ctx.catalog, providers: hub.service.ctx.providers, keyRing: newRing, setup: false, tenantId: hub.tenantId, adminKey: hub.adminKey });
  try {
    const before = await fetch(`${hub2.url}/api/v1/connections/${keys[0]}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
    assert.equal(((await before.json()) as { accessToken: string }).accessToken, 'pat-secret-value-0-abcdef');

    // A refresh lands between rotation's read and its write: the refresh must win.
    const source = connectionRotationSource(hub2.store, 2);
    let raced = false;
    const racing = {
      batches: source.batches,
      update: async (id: string, oldSealed: string, newSealed: string) => {
        if (id === oauthId && !raced) {
          raced = true;
          const r = await fetch(`${hub2.url}/api/v1/connections/${oauthId}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
          assert.equal(r.status, 200);
        }
        return source.update(id, oldSealed, newSealed);
      },
    };
    const result = await rotateAll(newVault, racing);
    assert.equal(result.complete, true);
    assert.equal(result.failed, 0);
    assert.equal(result.rewrapped, 5);
    assert.equal(result.conflicts, 1, 'the refreshed row was not overwritten by its older rewrap');
    const rows = (await hub2.store.forTenant(hub.tenantId).connections.list({ limit: 50 })).items;
    assert.equal(rows.length, 6);
    for (const r of rows) assert.equal(kidOf(r.sealedCredentials), 'k-next', `${r.externalId} is under the new key`);
    assert.ok(rows.every((r) => kidOf(r.sealedCredentials) !== oldKid));

    // A second run has nothing to do; tokens still flow; the refreshed token survived.
    const again = await rotateAll(newVault, connectionRotationSource(hub2.store));
    assert.equal(again.rewrapped, 0);
    assert.equal(again.skipped, 6);
    for (const [i, id] of keys.entries()) {
      const r = await fetch(`${hub2.url}/api/v1/connections/${id}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
      assert.equal(((await r.json()) as { accessToken: string }).accessToken, `pat-secret-value-${i}-abcdef`);
    }
    const o = await fetch(`${hub2.url}/api/v1/connections/${oauthId}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
    const t = (await o.json()) as { accessToken: string };
    assert.notEqual(t.accessToken, fake.credentials.oauthAccessToken);
    assert.ok(fake.ctx.oauth.access.has(t.accessToken));

    // The old hub, whose ring lacks k-next, names the missing key rather than returning garbage.
    const stale = await fetch(`${hub.url}/api/v1/connections/${keys[0]}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
    assert.ok(stale.status >= 400);
    assert.match(await stale.text(), /k-next/);

    // No plaintext secret anywhere in the tables.
    const dump = JSON.stringify(await Promise.all(['connections', 'oauth_states', 'audit_log'].map((t) => hub2.db.db.selectFrom(t as 'connections').selectAll().execute())));
    for (let i = 0; i < 5; i++) assert.ok(!dump.includes(`pat-secret-value-${i}`));
    assert.ok(!dump.includes(t.accessToken) && !dump.includes(fake.credentials.oauthRefreshToken!));
  } finally {
    await hub2.close();
  }
});
