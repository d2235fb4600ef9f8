import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHubSpot } from './index.ts';

/** The OAuth wire format: form in, snake_case JSON out, HubSpot's own error statuses. */
const fake = await startHubSpot();
after(() => fake.close());
const { clientId = '', clientSecret = '' } = fake.credentials;

async function code(): Promise<string> {
  const url = new URL('/oauth/authorize', fake.url);
  url.search = new URLSearchParams({ client_id: clientId, redirect_uri: 'http://127.0.0.1/cb', scope: 'crm.objects.contacts.read oauth' }).toString();
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

const token = (path: string, form: Record<string, string>) => fetch(`${fake.url}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
});

const exchange = async (path = '/oauth/v1/token') => token(path, {
  grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, redirect_uri: 'http://127.0.0.1/cb', code: await code(),
});

describe('HubSpot OAuth', () => {
  test('v1 token: 30-minute bearer token plus refresh token', async () => {
    const res = await exchange();
    assert.equal(res.status, 200);
    const body = await res.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(body.expires_in, 1800);
    assert.equal(body.token_type, 'bearer');
  });

  test('v3 token adds hub_id and scopes', async () => {
    const body = await (await exchange('/oauth/v3/token')).json() as Record<string, unknown>;
    assert.equal(body.hub_id, 62515);
    assert.deepEqual(body.scopes, ['crm.objects.contacts.read', 'oauth']);
  });

  test('a code works once; a reused one is BAD_AUTH_CODE', async () => {
    const c = await code();
    const form = { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, redirect_uri: 'http://127.0.0.1/cb', code: c };
    assert.equal((await token('/oauth/v1/token', form)).status, 200);
    const again = await token('/oauth/v1/token', form);
    assert.equal(again.status, 400);
    assert.equal((await again.json() as { status: string }).status, 'BAD_AUTH_CODE');
  });

  test('refresh keeps the refresh token by default and rotates it when the knob is on', async () => {
    const first = await (await exchange()).json() as { refresh_token: string; access_token: string };
    const refresh = (rt: string) => token('/oauth/v1/token', { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: rt });
    const same = await (await refresh(first.refresh_token)).json() as { refresh_token: string };
    assert.equal(same.refresh_token, first.refresh_token);

    fake.ctx.oauth.knobs.rotateRefreshToken = true;
    const rotated = await (await refresh(first.refresh_token)).json() as { refresh_token: string };
    assert.notEqual(rotated.refresh_token, first.refresh_token);
    const stale = await refresh(first.refresh_token);
    assert.equal(stale.status, 400);
    assert.equal((await stale.json() as { status: string }).status, 'BAD_REFRESH_TOKEN');
    fake.ctx.oauth.knobs.rotateRefreshToken = false;
  });

  test('an expired access token is a 401 EXPIRED_AUTHENTICATION; the token info endpoint reports it', async () => {
    const { access_token } = await (await exchange()).json() as { access_token: string };
    const info = await fetch(`${fake.url}/oauth/v1/access-tokens/${access_token}`);
    assert.equal((await info.json() as { hub_id: number }).hub_id, 62515);
    await fetch(`${fake.url}/_sandbox/oauth/expire`, { method: 'POST' });
    const res = await fetch(`${fake.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.equal(res.status, 401);
    const body = await res.json() as { category: string; message: string };
    assert.equal(body.category, 'EXPIRED_AUTHENTICATION');
    assert.match(body.message, /^The OAuth token used to make this call expired/);
  });

  test('wrong client secret is BAD_CLIENT_ID', async () => {
    const res = await token('/oauth/v1/token', { grant_type: 'refresh_token', client_id: clientId, client_secret: 'nope', refresh_token: 'x' });
    assert.equal(res.status, 400);
    assert.equal((await res.json() as { status: string }).status, 'BAD_CLIENT_ID');
  });
});
