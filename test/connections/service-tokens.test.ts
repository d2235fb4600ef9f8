import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { startTestApp, testCatalog, type TestApp } from './helpers.ts';

/**
 * `X-Service-Token` on the token API: HS256 and EdDSA JWTs verified with
 * jose for issuer, audience, expiry, tenant and scope.
 */
describe('service tokens on GET /connections/{id}/token', () => {
  let tdb: TestDatabase;
  let hub: TestApp;
  let connId = '';
  let otherTenant = '';
  const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
  const ed = generateKeyPairSync('ed25519');
  const AUD = 'switchyard-test';

  before(async () => {
    tdb = await createTestDatabase('sqlite', 'svc');
    hub = await startTestApp({
      databaseUrl: tdb.url, catalog: await testCatalog(),
      serviceTokens: {
        audience: AUD,
        issuers: [
          { issuer: 'billing', secret: SECRET },
          { issuer: 'reports', publicKey: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
        ],
      },
    });
    otherTenant = (await createTenant(hub.store, 'other', { id: 'test' })).id;
    // Only billing's first tenant is allowed for the restricted issuer below.
    const res = await fetch(`${hub.url}/api/v1/connections`, {
      method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'hubspot', externalId: 'pa', authMode: 'api_key', credentials: { apiKey: 'pat-service-token-test' } }),
    });
    connId = ((await res.json()) as { id: string }).id;
  });
  after(async () => {
    await hub?.close();
    await tdb?.drop();
  });

  const hs = (claims: JWTPayload, o: { iss?: string; aud?: string; exp?: string | number; secret?: string } = {}) => new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' }).setIssuer(o.iss ?? 'billing').setAudience(o.aud ?? AUD).setIssuedAt().setExpirationTime(o.exp ?? '5m')
    .sign(new TextEncoder().encode(o.secret ?? SECRET));
  const eddsa = (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).setIssuer('reports').setAudience(AUD).setIssuedAt().setExpirationTime('5m').sign(ed.privateKey);
  const read = (token: string, id = connId) => fetch(`${hub.url}/api/v1/connections/${id}/token`, { headers: { 'x-service-token': token } });
  const detail = async (r: Response) => ((await r.json()) as { detail: string }).detail;

  test('a valid HS256 token reads the token, and the read is audited under the service', async () => {
    const r = await read(await hs({ tenant: hub.tenantId, scope: 'tokens:read', sub: 'invoicer' }));
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { accessToken: string }).accessToken, 'pat-service-token-test');
    await hub.service.flushAudit();
    const entries = (await hub.store.forTenant(hub.tenantId).auditLog.list({ action: 'connection.token_read' })).items;
    assert.equal(entries[0]!.actor, 'service:billing/invoicer');
  });

  test('a valid EdDSA token reads the token', async () => {
    const r = await read(await eddsa({ tenant: hub.tenantId, scope: 'connections:read tokens:read' }));
    assert.equal(r.status, 200);
  });

  test('an expired token is refused', async () => {
    const r = await read(await hs({ tenant: hub.tenantId, scope: 'tokens:read' }, { exp: Math.floor(Date.now() / 1000) - 120 }));
    assert.equal(r.status, 401);
    assert.match(await detail(r), /expired/);
  });

  test('a token for another audience is refused', async () => {
    const r = await read(await hs({ tenant: hub.tenantId, scope: 'tokens:read' }, { aud: 'some-other-service' }));
    assert.equal(r.status, 401);
    assert.match(await detail(r), /aud/);
  });

  test('a token for another tenant does not reach this tenant\'s connection', async () => {
    const r = await read(await hs({ tenant: otherTenant, scope: 'tokens:read' }));
    assert.equal(r.status, 404);
  });

  test('an issuer restricted to some tenants cannot name another', async () => {
    const restricted = await startTestApp({
      databaseUrl: tdb.url, catalog: hub.service.ctx.catalog, keyRing: hub.keyRingText, setup: false, tenantId: hub.tenantId, adminKey: hub.adminKey,
      serviceTokens: { audience: AUD, issuers: [{ issuer: 'billing', secret: SECRET, tenants: [otherTenant] }] },
    });
    try {
      const r = await fetch(`${restricted.url}/api/v1/connections/${connId}/token`, { headers: { 'x-service-token': await hs({ tenant: hub.tenantId, scope: 'tokens:read' }) } });
      assert.equal(r.status, 403);
      assert.match(await detail(r), /may not act for tenant/);
    } finally {
      await restricted.close();
    }
  });

  test('missing scope, unknown issuer, wrong secret and garbage are refused', async () => {
    assert.equal((await read(await hs({ tenant: hub.tenantId, scope: 'connections:read' }))).status, 403);
    assert.equal((await read(await hs({ tenant: hub.tenantId, scope: 'tokens:read' }, { iss: 'stranger' }))).status, 401);
    assert.equal((await read(await hs({ tenant: hub.tenantId, scope: 'tokens:read' }, { secret: 'another-secret-that-is-32-bytes-long!!' }))).status, 401);
    assert.equal((await read('not.a.jwt')).status, 401);
    assert.equal((await read(await hs({ scope: 'tokens:read' }))).status, 401, 'the tenant claim is required');
  });

  test('API keys: tokens:read is needed, connections:read is not enough', async () => {
    const weak = await hub.keyWith(['connections:read']);
    const strong = await hub.keyWith(['tokens:read']);
    const get = (key: string) => fetch(`${hub.url}/api/v1/connections/${connId}/token`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal((await get(weak)).status, 403);
    assert.equal((await get(strong)).status, 200);
    assert.equal((await fetch(`${hub.url}/api/v1/connections/${connId}/token`)).status, 401);
  });
});
