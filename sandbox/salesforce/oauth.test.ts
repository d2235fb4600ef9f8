import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import jsforce from 'jsforce';
import { SignJWT, importPKCS8 } from 'jose';
import { startSalesforce } from './index.ts';

type Fake = Awaited<ReturnType<typeof startSalesforce>>;
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('Salesforce OAuth', () => {
  let fake: Fake;
  before(async () => {
    fake = await startSalesforce();
  });
  after(async () => fake.close());

  const oauth2 = (extra: Record<string, unknown> = {}) => new jsforce.OAuth2({
    loginUrl: fake.url, clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret, redirectUri: 'http://127.0.0.1:1/callback', ...extra,
  });

  async function authorize(o: InstanceType<typeof jsforce.OAuth2>): Promise<string> {
    const res = await fetch(o.getAuthorizationUrl({ scope: 'api refresh_token', state: 'xyz' }), { redirect: 'manual' });
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get('location') ?? '');
    assert.equal(loc.searchParams.get('state'), 'xyz');
    return loc.searchParams.get('code') ?? '';
  }

  test('web-server flow with PKCE: jsforce exchanges the code; the response has Salesforce keys and no expires_in', async () => {
    const o = oauth2({ useVerifier: true });
    const code = await authorize(o);
    const t = await o.requestToken(code) as unknown as { instance_url: string; token_type: string; id: string; issued_at: string; refresh_token: string; signature: string; access_token: string };
    assert.equal(t.instance_url, fake.url);
    assert.equal(t.token_type, 'Bearer');
    assert.match(t.id, /\/id\/00D\w{15}\/005\w{15}$/);
    assert.match(t.issued_at, /^\d{13}$/);
    assert.ok(t.refresh_token);
    assert.equal('expires_in' in t, false);
    const expected = createHmac('sha256', fake.credentials.clientSecret!).update(t.id + t.issued_at).digest('base64');
    assert.equal(t.signature, expected);
    const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: '60.0' });
    const identity = await fetch(t.id, { headers: { authorization: `Bearer ${t.access_token}` } }).then((r) => r.json()) as { username: string };
    assert.equal(identity.username, fake.credentials.username);
    assert.equal((await conn.query('SELECT COUNT() FROM Lead')).totalSize, 0);
  });

  test('a wrong code_verifier and a reused code are invalid_grant', async () => {
    const o = oauth2({ useVerifier: true });
    const code = await authorize(o);
    o.codeVerifier = 'not-the-verifier-not-the-verifier-not-the-verifier';
    await assert.rejects(o.requestToken(code), (e: Error) => e.name === 'invalid_grant');
    await assert.rejects(o.requestToken(code), (e: Error) => e.name === 'invalid_grant');
  });

  test('refresh_token grant through jsforce returns a new access token and no refresh token', async () => {
    const o = oauth2();
    const first = await o.requestToken(await authorize(o));
    const refreshed = await o.refreshToken(first.refresh_token!) as unknown as Record<string, string>;
    assert.notEqual(refreshed.access_token, first.access_token);
    assert.equal(refreshed.refresh_token, undefined);
    assert.equal(refreshed.instance_url, fake.url);
    await assert.rejects(o.refreshToken('bogus'), (e: Error) => e.name === 'invalid_grant' && e.message === 'expired access/refresh token');
    await assert.rejects(oauth2({ clientSecret: 'wrong' }).refreshToken(first.refresh_token!), (e: Error) => e.name === 'invalid_client');
  });

  test('an expired session answers 401 INVALID_SESSION_ID and jsforce refreshes once, then retries', async () => {
    const o = oauth2();
    const t = await o.requestToken(await authorize(o));
    const conn = new jsforce.Connection({ oauth2: o, instanceUrl: fake.url, accessToken: t.access_token, refreshToken: t.refresh_token, version: '60.0' });
    await fetch(`${fake.url}/_sandbox/oauth/expire`, { method: 'POST' });
    const raw = await fetch(`${fake.url}/services/data/v60.0/limits`, { headers: { authorization: `Bearer ${t.access_token}` } });
    assert.equal(raw.status, 401);
    assert.deepEqual(await raw.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    let refreshed = 0;
    conn.on('refresh', () => { refreshed += 1; });
    const res = await conn.query('SELECT Id FROM Account');
    assert.equal(res.totalSize, 0);
    assert.equal(refreshed, 1);
    assert.notEqual(conn.accessToken, t.access_token);
  });

  test('revoke: the token stops working', async () => {
    const o = oauth2();
    const t = await o.requestToken(await authorize(o));
    await o.revokeToken(t.access_token);
    const res = await fetch(`${fake.url}/services/data/v60.0/limits`, { headers: { authorization: `Bearer ${t.access_token}` } });
    assert.equal(res.status, 401);
    await assert.rejects(o.revokeToken(t.access_token));
  });

  test('session timeout knob: tokens live for oauth.accessTokenTtlSec; includeExpiresIn adds expires_in', async () => {
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ includeExpiresIn: true, oauth: { accessTokenTtlSec: 60 } }) });
    try {
      const o = oauth2();
      const t = await o.requestToken(await authorize(o)) as unknown as Record<string, unknown>;
      assert.equal(t.expires_in, 60);
    } finally {
      await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ includeExpiresIn: false, oauth: { accessTokenTtlSec: 7200 } }) });
    }
  });

  describe('JWT bearer', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();

    before(async () => {
      const res = await fetch(`${fake.url}/_sandbox/salesforce/connected-app`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyPem: publicPem }) });
      assert.equal(res.status, 200);
    });

    async function assertion(claims: Record<string, unknown>, pem = privatePem, expSec = 120): Promise<string> {
      const key = await importPKCS8(pem, 'RS256');
      return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime(Math.floor(Date.now() / 1000) + expSec).sign(key);
    }
    const good = () => ({ iss: fake.credentials.clientId, sub: fake.credentials.username, aud: 'https://login.salesforce.com' });

    test('a valid assertion mints an access token (no refresh token) that the REST API accepts', async () => {
      const t = await new jsforce.OAuth2({ loginUrl: fake.url }).requestToken({ grant_type: JWT_GRANT, assertion: await assertion(good()) }) as unknown as Record<string, string>;
      assert.ok(t.access_token);
      assert.equal(t.refresh_token, undefined);
      assert.equal(t.instance_url, fake.url);
      const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: '60.0' });
      const created = await conn.sobject('Account').create({ Name: 'JWT Co' });
      assert.equal(created.success, true);
    });

    test('the fake URL itself is an accepted audience (loginUrl = fake)', async () => {
      const t = await new jsforce.OAuth2({ loginUrl: fake.url }).requestToken({ grant_type: JWT_GRANT, assertion: await assertion({ ...good(), aud: fake.url }) });
      assert.ok(t.access_token);
    });

    const rejects = async (jwt: string, error: string, description: string) => {
      const res = await fetch(`${fake.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: JWT_GRANT, assertion: jwt }) });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error, error_description: description });
    };

    test('wrong audience, unknown consumer, foreign key, long life and unknown user each fail as Salesforce does', async () => {
      await rejects(await assertion({ ...good(), aud: 'https://example.com' }), 'invalid_grant', 'audience is invalid');
      await rejects(await assertion({ ...good(), iss: 'someone-else' }), 'invalid_client_id', 'client identifier invalid');
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await rejects(await assertion(good(), other), 'invalid_grant', 'invalid assertion');
      await rejects(await assertion(good(), privatePem, 3600), 'invalid_grant', 'invalid assertion');
      await rejects(await assertion(good(), privatePem, -10), 'invalid_grant', 'invalid assertion');
      await rejects(await assertion({ ...good(), sub: 'nobody@example.com' }), 'invalid_grant', "user hasn't approved this consumer");
    });

    test('the pre-generated key printed in credentials also works after re-registering it', async () => {
      const { createPublicKey } = await import('node:crypto');
      const pub = createPublicKey(fake.credentials.privateKeyPem!).export({ type: 'spki', format: 'pem' }).toString();
      await fetch(`${fake.url}/_sandbox/salesforce/connected-app`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyPem: pub }) });
      const t = await new jsforce.OAuth2({ loginUrl: fake.url }).requestToken({ grant_type: JWT_GRANT, assertion: await assertion(good(), fake.credentials.privateKeyPem!) });
      assert.ok(t.access_token);
    });
  });
});
