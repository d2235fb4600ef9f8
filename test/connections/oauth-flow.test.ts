import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import type { ProviderEntry } from '../../src/catalog/schema.ts';
import { oauthStateContext, openCredentials } from '../../src/connections/credentials.ts';
import type { ConnectionEvent } from '../../src/connections/events.ts';
import type { ProviderClients } from '../../src/connections/ports.ts';
import { ScriptedBrowser } from './browser.ts';
import { oauthServerEntry, startTestApp, testCatalog, type TestApp } from './helpers.ts';
import { startOidcServer, type OidcServer } from './oidc-server.ts';

/**
 * The authorization code flow with PKCE end to end: the hub's connect and
 * callback routes, a real oidc-provider server, a scripted browser.
 */
describe('OAuth authorization code + PKCE against oidc-provider', () => {
  let tdb: TestDatabase;
  let hub: TestApp;
  let oidc: OidcServer;
  const skew = { ms: 0 };
  const entries = new Map<string, ProviderEntry>();
  const providers: ProviderClients = {};
  const events: ConnectionEvent[] = [];
  const RETURN_TO = 'https://app.example.test/connected';

  before(async () => {
    tdb = await createTestDatabase('sqlite', 'oauth');
    hub = await startTestApp({
      databaseUrl: tdb.url, catalog: await testCatalog(entries), providers,
      service: { clock: () => Date.now() + skew.ms, refresh: { backoffMs: [0], reauthAfter: 3 } },
    });
    oidc = await startOidcServer({ redirectUri: `${hub.url}/api/v1/connect/callback`, rotateRefreshToken: true, accessTokenTtlSec: 3600 });
    entries.set('oidc', oauthServerEntry('oidc', oidc.issuer, 'yes'));
    providers.oidc = { clientId: oidc.clientId, clientSecret: oidc.clientSecret };
    hub.service.onEvent('connection.needs_reauth', (e) => { events.push(e); });
  });
  after(async () => {
    await hub?.close();
    await oidc?.close();
    await tdb?.drop();
  });

  const start = async (externalId: string, redirect?: string) => {
    const q = new URLSearchParams({ connectionId: externalId, ...(redirect ? { redirect } : {}) });
    const res = await fetch(`${hub.url}/api/v1/connect/oidc?${q}`, { headers: { authorization: `Bearer ${hub.adminKey}`, accept: 'application/json' } });
    assert.equal(res.status, 200);
    return await res.json() as { url: string; state: string; expiresAt: number };
  };
  const isCallback = (u: URL) => u.toString().startsWith(`${hub.url}/api/v1/connect/callback`);
  const callback = (u: URL | string, accept = 'application/json') => fetch(u, { headers: { accept }, redirect: 'manual' });
  const connect = async (externalId: string) => {
    const { url } = await start(externalId);
    const back = await new ScriptedBrowser().authorize(url, 'alice', isCallback);
    const res = await callback(back);
    assert.equal(res.status, 200, await res.clone().text());
    return { back, body: await res.json() as { status: string; connectionId: string } };
  };
  const stored = async (id: string) => {
    const conn = (await hub.store.forTenant(hub.tenantId).connections.get(id))!;
    return { conn, creds: openCredentials(hub.vault, hub.redactor, hub.tenantId, id, conn.sealedCredentials) };
  };
  const token = (id: string) => fetch(`${hub.url}/api/v1/connections/${id}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
  const refreshDirectly = (refreshToken: string) => fetch(`${oidc.issuer}/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: oidc.clientId, client_secret: oidc.clientSecret }),
  });

  test('connect: 302 to the authorize URL with state and an S256 challenge, then code exchange with the verifier', async () => {
    const res = await fetch(`${hub.url}/api/v1/connect/oidc?connectionId=cust-1&redirect=${encodeURIComponent(RETURN_TO)}`, { headers: { authorization: `Bearer ${hub.adminKey}` }, redirect: 'manual' });
    assert.equal(res.status, 302);
    const authorize = new URL(res.headers.get('location')!);
    assert.equal(authorize.origin + authorize.pathname, `${oidc.issuer}/auth`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(authorize.searchParams.get('client_id'), oidc.clientId);
    const state = authorize.searchParams.get('state')!;

    const back = await new ScriptedBrowser().authorize(authorize.toString(), 'alice', isCallback);
    assert.equal(back.searchParams.get('state'), state);
    const done = await callback(back, 'text/html');
    assert.equal(done.status, 302);
    const landed = new URL(done.headers.get('location')!);
    assert.equal(landed.origin + landed.pathname, RETURN_TO);
    assert.equal(landed.searchParams.get('status'), 'ok');
    assert.equal(landed.searchParams.get('externalId'), 'cust-1');
    const id = landed.searchParams.get('connectionId')!;
    assert.match(id, /^conn_/);

    const { conn, creds } = await stored(id);
    assert.equal(conn.status, 'active');
    assert.equal(conn.authMode, 'oauth2');
    assert.ok(creds.token?.refreshToken, 'a refresh token was stored');
    assert.ok(!conn.sealedCredentials.includes(creds.token!.accessToken), 'the row holds no plaintext token');
    assert.equal(oidc.calls.success.authorization_code, 1);

    const t = await token(id);
    assert.equal(t.status, 200);
    const body = await t.json() as { accessToken: string; tokenType: string; expiresAt: number };
    assert.equal(body.accessToken, creds.token!.accessToken);
    assert.equal(body.tokenType, 'bearer');
    assert.ok(body.expiresAt > Date.now());
    assert.equal(hub.redactor.string(`log ${body.accessToken}`), 'log [redacted]', 'opened tokens are registered with the redactor');

    const view = await (await fetch(`${hub.url}/api/v1/connections/${id}`, { headers: { authorization: `Bearer ${hub.adminKey}` } })).text();
    assert.ok(!view.includes(body.accessToken) && !view.includes(creds.token!.refreshToken!), 'GET never shows secrets');
    await hub.service.flushAudit();
    const actions = (await hub.store.forTenant(hub.tenantId).auditLog.list({ limit: 50 })).items.map((e) => e.action);
    assert.ok(actions.includes('connection.connected') && actions.includes('connection.token_read') && actions.includes('connection.authorize_started'));
    const auditText = JSON.stringify(await hub.store.forTenant(hub.tenantId).auditLog.list({ limit: 50 }));
    assert.ok(!auditText.includes(body.accessToken), 'the audit log holds no token');
  });

  test('an unknown state is refused with a clear page or JSON, and no connection is made', async () => {
    const before = (await hub.store.forTenant(hub.tenantId).connections.list()).items.length;
    const json = await callback(`${hub.url}/api/v1/connect/callback?state=not-a-real-state&code=abc`);
    assert.equal(json.status, 400);
    assert.equal((await json.json() as { error: string }).error, 'invalid_state');
    const html = await callback(`${hub.url}/api/v1/connect/callback?state=not-a-real-state&code=abc`, 'text/html');
    assert.equal(html.status, 400);
    assert.match(html.headers.get('content-type')!, /text\/html/);
    assert.match(await html.text(), /unknown, expired or was already used/);
    assert.equal((await hub.store.forTenant(hub.tenantId).connections.list()).items.length, before);
  });

  test('a state works once: replaying the callback is refused', async () => {
    const { back } = await connect('cust-replay');
    const again = await callback(back);
    assert.equal(again.status, 400);
    assert.equal((await again.json() as { error: string }).error, 'invalid_state');
  });

  test('an expired state is refused', async () => {
    const { url } = await start('cust-late');
    const back = await new ScriptedBrowser().authorize(url, 'alice', isCallback);
    skew.ms = 11 * 60_000;
    try {
      const res = await callback(back);
      assert.equal(res.status, 400);
      assert.equal((await res.json() as { error: string }).error, 'invalid_state');
    } finally {
      skew.ms = 0;
    }
  });

  test('a wrong PKCE verifier is refused by the server and no connection is made', async () => {
    const { url, state } = await start('cust-wrong-verifier');
    const wrong = 'w'.repeat(43);
    await hub.db.db.updateTable('oauth_states').set({ code_verifier: hub.vault.seal(wrong, oauthStateContext(state)) }).where('state', '=', state).execute();
    const errorsBefore = oidc.calls.error.authorization_code ?? 0;
    const back = await new ScriptedBrowser().authorize(url, 'alice', isCallback);
    const res = await callback(back);
    assert.equal(res.status, 400);
    const body = await res.json() as { error: string; description: string };
    assert.equal(body.error, 'invalid_grant');
    assert.match(body.description, /PKCE|verifier|code/i);
    assert.equal(oidc.calls.error.authorization_code, errorsBefore + 1);
    assert.equal(await hub.store.forTenant(hub.tenantId).connections.byExternalId('oidc', 'cust-wrong-verifier'), undefined);
  });

  test('a user who cancels gets access_denied on a clear page, and no connection', async () => {
    const { url } = await start('cust-denied', RETURN_TO);
    const back = await new ScriptedBrowser().authorize(url, 'alice', isCallback, { deny: true });
    assert.equal(back.searchParams.get('error'), 'access_denied');
    const html = await callback(back, 'text/html');
    assert.equal(html.status, 400);
    assert.match(await html.text(), /Access was not granted/);
    assert.equal(await hub.store.forTenant(hub.tenantId).connections.byExternalId('oidc', 'cust-denied'), undefined);
  });

  test('an expired token is refreshed on read, and the rotated refresh token replaces the old one', async () => {
    const { body } = await connect('cust-refresh');
    const before = await stored(body.connectionId);
    const refreshes = oidc.calls.success.refresh_token ?? 0;
    skew.ms = 2 * 3600_000;
    let after;
    try {
      const res = await token(body.connectionId);
      assert.equal(res.status, 200);
      const t = await res.json() as { accessToken: string; expiresAt: number };
      assert.notEqual(t.accessToken, before.creds.token!.accessToken);
      after = await stored(body.connectionId);
      assert.equal(t.accessToken, after.creds.token!.accessToken);
    } finally {
      skew.ms = 0;
    }
    assert.equal(oidc.calls.success.refresh_token, refreshes + 1);
    assert.notEqual(after.creds.token!.refreshToken, before.creds.token!.refreshToken, 'the server rotated the refresh token');
    assert.equal(after.conn.credentialsVersion, before.conn.credentialsVersion + 1);
    // The old refresh token is dead at the server; the stored one works.
    const old = await refreshDirectly(before.creds.token!.refreshToken!);
    assert.equal(old.status, 400);
    assert.equal((await old.json() as { error: string }).error, 'invalid_grant');
  });

  test('a forced refresh uses the stored (rotated) refresh token, and the test call reaches the API', async () => {
    const { body } = await connect('cust-force');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${hub.url}/api/v1/connections/${body.connectionId}/refresh`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}` } });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal((await res.json() as { status: string }).status, 'active');
    }
    const check = await fetch(`${hub.url}/api/v1/connections/${body.connectionId}/test`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}` } });
    const result = await check.json() as { ok: boolean; status: number; latencyMs: number };
    assert.equal(result.status, 200);
    assert.equal(result.ok, true);
    assert.ok(result.latencyMs >= 0);
  });

  test('repeated invalid_grant marks the connection needs_reauth and emits the event', async () => {
    const { body } = await connect('cust-dead');
    const { conn, creds } = await stored(body.connectionId);
    // The grant dies at the provider (revoked there): every refresh is invalid_grant from now on.
    const revoked = await fetch(`${oidc.issuer}/token/revocation`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: creds.token!.refreshToken!, client_id: oidc.clientId, client_secret: oidc.clientSecret }),
    });
    assert.equal(revoked.status, 200);
    const refresh = () => fetch(`${hub.url}/api/v1/connections/${conn.id}/refresh`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}` } });
    assert.equal((await refresh()).status, 503);
    assert.equal((await refresh()).status, 503);
    const third = await refresh();
    assert.equal(third.status, 409);
    const after = (await hub.store.forTenant(hub.tenantId).connections.get(conn.id))!;
    assert.equal(after.status, 'needs_reauth');
    assert.match(after.lastRefreshError!, /^invalid_grant/);
    assert.equal(events.filter((e) => e.connectionId === conn.id).length, 1);
    const t = await token(conn.id);
    assert.equal(t.status, 409);
    assert.match((await t.json() as { detail: string }).detail, /re-authorization/);
    // Connecting the same name again brings it back.
    await connect('cust-dead');
    assert.equal((await hub.store.forTenant(hub.tenantId).connections.get(conn.id))!.status, 'active');
  });

  test('DELETE revokes the refresh token at the provider, then deletes', async () => {
    const { body } = await connect('cust-delete');
    const { creds } = await stored(body.connectionId);
    const res = await fetch(`${hub.url}/api/v1/connections/${body.connectionId}`, { method: 'DELETE', headers: { authorization: `Bearer ${hub.adminKey}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { deleted: true, revocation: { attempted: true, ok: true } });
    assert.equal((await refreshDirectly(creds.token!.refreshToken!)).status, 400);
    assert.equal((await token(body.connectionId)).status, 404);
  });
});
