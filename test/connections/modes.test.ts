import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { startGithub } from '../../sandbox/github/index.ts';
import { startGoogle } from '../../sandbox/google/index.ts';
import { startSalesforce } from '../../sandbox/salesforce/index.ts';
import { connectedApp } from '../../sandbox/salesforce/connected-app.ts';
import { startWordPress } from '../../sandbox/wordpress/index.ts';
import { signAppJwt } from '../../src/connections/github-app.ts';
import { JWT_BEARER_GRANT } from '../../src/connections/jwt-bearer.ts';
import { resolveProvider } from '../../src/connections/provider-spec.ts';
import type { ProviderEntry } from '../../src/catalog/schema.ts';
import type { ProviderClients } from '../../src/connections/ports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { oauthServerEntry, startTestApp, testCatalog, type TestApp } from './helpers.ts';
import { startOidcServer, type OidcServer } from './oidc-server.ts';

/**
 * Every mode that needs no browser, against the sandbox fakes: Salesforce
 * JWT bearer, GitHub App installation tokens, Google service accounts,
 * client credentials (oidc-provider), WordPress application passwords and
 * API keys. Signed JWTs are checked with jose against the public key.
 */
describe('non-OAuth auth modes', () => {
  let tdb: TestDatabase;
  let hub: TestApp;
  let sf: Awaited<ReturnType<typeof startSalesforce>>;
  let gh: Awaited<ReturnType<typeof startGithub>>;
  let google: Awaited<ReturnType<typeof startGoogle>>;
  let wp: Awaited<ReturnType<typeof startWordPress>>;
  let oidc: OidcServer;
  const entries = new Map<string, ProviderEntry>();
  const providers: ProviderClients = {};
  const skew = { ms: 0 };

  before(async () => {
    [sf, gh, google, wp] = await Promise.all([startSalesforce(), startGithub(), startGoogle(), startWordPress()]);
    oidc = await startOidcServer({ redirectUri: 'http://127.0.0.1:1/unused', rotateRefreshToken: false, clientCredentials: true });
    entries.set('oidc', oauthServerEntry('oidc', oidc.issuer));
    Object.assign(providers, {
      github: { overrides: { 'auth.github_app.installationTokenUrl': `${gh.url}/app/installations/\${connectionConfig.installationId}/access_tokens`, 'api.baseUrl': gh.url } },
      google: { overrides: { 'auth.service_account.tokenUrl': `${google.url}/token`, 'api.baseUrl': google.url } },
      oidc: { clientId: oidc.clientId, clientSecret: oidc.clientSecret },
    } satisfies ProviderClients);
    tdb = await createTestDatabase('sqlite', 'modes');
    hub = await startTestApp({ databaseUrl: tdb.url, catalog: await testCatalog(entries), providers, service: { clock: () => Date.now() + skew.ms } });
  });
  after(async () => {
    await hub?.close();
    await Promise.all([sf?.close(), gh?.close(), google?.close(), wp?.close(), oidc?.close()]);
    await tdb?.drop();
  });

  const post = (body: unknown) => fetch(`${hub.url}/api/v1/connections`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const token = async (id: string) => {
    const res = await fetch(`${hub.url}/api/v1/connections/${id}/token`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
    assert.equal(res.status, 200, await res.clone().text());
    return await res.json() as { accessToken: string; tokenType: string; expiresAt: number | null };
  };
  const check = async (id: string) => (await fetch(`${hub.url}/api/v1/connections/${id}/test`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}` } })).json() as Promise<{ ok: boolean; status: number; credentialsAccepted: boolean }>;

  test('Salesforce JWT bearer: the assertion verifies against the connected app key, and the token works', async () => {
    const res = await post({
      provider: 'salesforce', externalId: 'org-1', authMode: 'jwt_bearer', config: { loginUrl: sf.url },
      credentials: { clientId: sf.credentials.clientId, privateKey: sf.credentials.privateKeyPem, username: sf.credentials.username },
    });
    assert.equal(res.status, 201, await res.clone().text());
    const conn = await res.json() as { id: string; authMode: string; config: Record<string, unknown> };
    assert.equal(conn.authMode, 'jwt_bearer');
    assert.equal(conn.config.instanceUrl, sf.url, 'instance_url from the token response became the instanceUrl setting');

    const { requests } = await (await fetch(`${sf.url}/_sandbox/requests`)).json() as { requests: { path: string; body: Record<string, string> }[] };
    const sent = requests.filter((r) => r.path === '/services/oauth2/token' && r.body?.grant_type === JWT_BEARER_GRANT).at(-1)!;
    const { payload, protectedHeader } = await jwtVerify(sent.body.assertion!, connectedApp(sf.ctx as never).publicKey, { algorithms: ['RS256'] });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.iss, sf.credentials.clientId);
    assert.equal(payload.sub, sf.credentials.username);
    assert.equal(payload.aud, sf.url);
    assert.ok(payload.exp! - payload.iat! <= 180);

    const t = await token(conn.id);
    const me = await fetch(`${sf.url}/services/data/v66.0/sobjects`, { headers: { authorization: `Bearer ${t.accessToken}` } });
    assert.equal(me.status, 200);
    const health = await check(conn.id);
    assert.equal(health.credentialsAccepted, true);
  });

  test('Salesforce JWT bearer with the wrong key is refused with 422 and no connection', async () => {
    const otherOrg = await startSalesforce();
    const other = otherOrg.credentials.privateKeyPem;
    await otherOrg.close();
    const res = await post({ provider: 'salesforce', externalId: 'org-bad', authMode: 'jwt_bearer', config: { loginUrl: sf.url }, credentials: { clientId: sf.credentials.clientId, privateKey: other, username: sf.credentials.username } });
    assert.equal(res.status, 422);
    assert.match((await res.json() as { detail: string }).detail, /refused/);
    const list = await (await fetch(`${hub.url}/api/v1/connections?externalId=org-bad`, { headers: { authorization: `Bearer ${hub.adminKey}` } })).json() as { items: unknown[] };
    assert.equal(list.items.length, 0);
  });

  test('GitHub App: the app JWT verifies against the app public key; installation tokens last one hour and are re-minted on expiry', async () => {
    const res = await post({
      provider: 'github', externalId: 'octocat', authMode: 'github_app',
      config: { appId: gh.credentials.appId, installationId: gh.credentials.installationId }, credentials: { privateKey: gh.credentials.appPrivateKey },
    });
    assert.equal(res.status, 201, await res.clone().text());
    const conn = await res.json() as { id: string; expiresAt: number };
    assert.ok(Math.abs(conn.expiresAt - (Date.now() + 3600_000)) < 60_000, 'installation tokens expire after an hour');

    const provider = resolveProvider(hub.service.ctx.catalog, providers, 'github', 'github_app', { appId: gh.credentials.appId, installationId: gh.credentials.installationId });
    const jwt = await signAppJwt({ provider, creds: { mode: 'github_app', secret: { privateKey: gh.credentials.appPrivateKey! } }, config: { appId: gh.credentials.appId }, http: hub.service.ctx.http, now: Date.now() });
    const { payload } = await jwtVerify(jwt, createPublicKey(gh.credentials.appPrivateKey!), { algorithms: ['RS256'] });
    assert.equal(decodeProtectedHeader(jwt).alg, 'RS256');
    assert.equal(payload.iss, gh.credentials.appId);
    assert.ok(payload.iat! <= Date.now() / 1000 - 59, 'iat is back-dated for clock drift');
    assert.ok(payload.exp! - payload.iat! <= 600);

    const first = await token(conn.id);
    assert.match(first.accessToken, /^ghs_/);
    const repos = await fetch(`${gh.url}/installation/repositories`, { headers: { authorization: `token ${first.accessToken}` } });
    assert.equal(repos.status, 200);

    // The next installation token lives 4 minutes, inside the 5-minute refresh margin: the read after it re-mints.
    await fetch(`${gh.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ installationTokenTtlSec: 240 }) });
    await fetch(`${hub.url}/api/v1/connections/${conn.id}/refresh`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminKey}` } });
    const second = await token(conn.id);
    assert.notEqual(second.accessToken, first.accessToken);
    const third = await token(conn.id);
    assert.notEqual(third.accessToken, second.accessToken, 'an installation token inside the margin is replaced on read');
  });

  test('Google service account: a JWT grant at the token URL gives a bearer token', async () => {
    const res = await post({
      provider: 'google', externalId: 'sheets-bot', authMode: 'service_account',
      credentials: { keyFile: { type: 'service_account', client_email: google.credentials.serviceAccountEmail, private_key: google.credentials.serviceAccountPrivateKey } },
    });
    assert.equal(res.status, 201, await res.clone().text());
    const conn = await res.json() as { id: string; expiresAt: number };
    const t = await token(conn.id);
    assert.equal(t.tokenType, 'bearer');
    assert.ok(t.expiresAt !== null && t.expiresAt > Date.now() + 3000_000);
    const { requests } = await (await fetch(`${google.url}/_sandbox/requests`)).json() as { requests: { path: string; body: Record<string, string> }[] };
    const sent = requests.filter((r) => r.path === '/token').at(-1)!;
    const claims = decodeJwt(sent.body.assertion!);
    assert.equal(claims.iss, google.credentials.serviceAccountEmail);
    assert.equal(claims.aud, `${google.url}/token`);
    assert.match(String(claims.scope), /spreadsheets/);
  });

  test('client credentials: minted at creation, minted again when it nears expiry', async () => {
    const res = await post({ provider: 'oidc', externalId: 'machine', authMode: 'client_credentials', credentials: {} });
    assert.equal(res.status, 201, await res.clone().text());
    const conn = await res.json() as { id: string };
    const first = await token(conn.id);
    const before = oidc.calls.success.client_credentials ?? 0;
    skew.ms = 2 * 3600_000;
    try {
      const second = await token(conn.id);
      assert.notEqual(second.accessToken, first.accessToken);
    } finally {
      skew.ms = 0;
    }
    assert.equal(oidc.calls.success.client_credentials, before + 1);
  });

  test('WordPress application password (basic) and a HubSpot private-app key (api_key) are stored sealed and handed out as given', async () => {
    const wpRes = await post({ provider: 'wordpress', externalId: 'blog', config: { siteUrl: wp.url }, credentials: { username: wp.credentials.username, password: wp.credentials.applicationPassword } });
    assert.equal(wpRes.status, 201, await wpRes.clone().text());
    const wpConn = await wpRes.json() as { id: string; authMode: string };
    assert.equal(wpConn.authMode, 'basic');
    const basic = await token(wpConn.id);
    assert.equal(basic.tokenType, 'basic');
    assert.equal(Buffer.from(basic.accessToken, 'base64').toString(), `${wp.credentials.username}:${wp.credentials.applicationPassword}`);
    const me = await fetch(`${wp.url}/wp-json/wp/v2/users/me`, { headers: { authorization: `Basic ${basic.accessToken}` } });
    assert.equal(me.status, 200);

    const hs = await post({ provider: 'hubspot', externalId: 'private-app', authMode: 'api_key', credentials: { apiKey: 'pat-na1-0123456789abcdef' } });
    assert.equal(hs.status, 201);
    const hsConn = await hs.json() as { id: string };
    assert.deepEqual(await token(hsConn.id), { accessToken: 'pat-na1-0123456789abcdef', tokenType: 'api_key', expiresAt: null });
    const row = (await hub.store.forTenant(hub.tenantId).connections.get(hsConn.id))!;
    assert.ok(!row.sealedCredentials.includes('pat-na1'), 'the key is sealed at rest');
  });

  test('bad input is refused with the field named', async () => {
    const missing = await post({ provider: 'wordpress', externalId: 'blog-2', config: { siteUrl: wp.url }, credentials: { username: 'admin' } });
    assert.equal(missing.status, 422);
    assert.match(JSON.stringify(await missing.json()), /credentials\.password/);
    const oauthViaPost = await post({ provider: 'hubspot', externalId: 'x', authMode: 'oauth2', credentials: {} });
    assert.equal(oauthViaPost.status, 422);
    const unknown = await post({ provider: 'nope', externalId: 'x', credentials: {} });
    assert.equal(unknown.status, 404);
    const dup = await post({ provider: 'hubspot', externalId: 'private-app', authMode: 'api_key', credentials: { apiKey: 'another-key-123' } });
    assert.equal(dup.status, 409);
  });
});
