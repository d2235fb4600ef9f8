import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import type { LoggedRequest } from '../../sandbox/core/request-log.ts';
import { ProviderClient, ProviderError, type CallEvent, type Token, type TokenSource } from '../../src/http-client/index.ts';
import { hubspotProfile } from './profiles.ts';

/* 401 → one refresh → one retry, against the HubSpot fake's OAuth server. */
let fake: Awaited<ReturnType<typeof startHubSpot>>;

before(async () => {
  fake = await startHubSpot({ seed: { contacts: [{ properties: { email: 'a@example.com' } }] } });
});
after(async () => {
  await fake.close();
});

/** What the connections module will provide: the stored token, and a refresh against the provider's token URL. */
function oauthTokens(): TokenSource & { refreshes: number } {
  let current: Token = { value: fake.credentials.oauthAccessToken!, type: 'bearer' };
  const source = {
    refreshes: 0,
    getToken: async () => current,
    refresh: async () => {
      source.refreshes += 1;
      const res = await fetch(`${fake.url}/oauth/v1/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: fake.credentials.oauthRefreshToken!, client_id: fake.credentials.clientId!, client_secret: fake.credentials.clientSecret! }),
      });
      const body = (await res.json()) as { access_token: string };
      current = { value: body.access_token, type: 'bearer' };
      return current;
    },
  };
  return source;
}

const oauthCalls = async () => (await (await fetch(`${fake.url}/_sandbox/oauth/calls`)).json()) as Record<string, number>;

test('an expired token gets one refresh and one retry', async () => {
  const tokens = oauthTokens();
  const calls: CallEvent[] = [];
  const client = new ProviderClient({ connectionId: 'conn_oauth', tokens, profile: hubspotProfile(fake.url), onCall: (e) => calls.push(e) });
  const before = (await oauthCalls()).refresh_token ?? 0;
  await fetch(`${fake.url}/_sandbox/oauth/expire`, { method: 'POST' });
  await fetch(`${fake.url}/_sandbox/requests`, { method: 'DELETE' });

  const res = await client.request({ method: 'GET', path: '/crm/v3/objects/contacts' });
  assert.equal(res.status, 200);
  assert.equal(res.attempts, 2);
  assert.equal(tokens.refreshes, 1);
  assert.equal(((await oauthCalls()).refresh_token ?? 0) - before, 1);
  assert.deepEqual(calls.map((c) => [c.status, c.attempt]), [[401, 1], [200, 2]]);
  const log = ((await (await fetch(`${fake.url}/_sandbox/requests?pathPrefix=/crm`)).json()) as { requests: LoggedRequest[] }).requests;
  assert.deepEqual(log.map((e) => e.status), [401, 200]);
});

test('a token that is still refused after the refresh fails without a second refresh or leaking the token', async () => {
  const secret = 'CNb-not-a-real-token-0123456789';
  let refreshes = 0;
  const tokens: TokenSource = { getToken: async () => ({ value: secret, type: 'bearer' }), refresh: async () => { refreshes += 1; return { value: `${secret}-2`, type: 'bearer' }; } };
  const client = new ProviderClient({ connectionId: 'conn_bad', tokens, profile: hubspotProfile(fake.url) });
  const res = await client.request({ method: 'GET', path: '/crm/v3/objects/contacts' });
  assert.equal(res.status, 401);
  assert.equal(refreshes, 1);
  assert.equal(res.attempts, 2);
  await assert.rejects(client.json({ method: 'GET', path: '/crm/v3/objects/contacts' }), (err: unknown) => {
    assert.ok(err instanceof ProviderError);
    assert.equal(err.code, 'provider_auth_failed');
    const printed = `${err.message} ${err.stack} ${JSON.stringify(err)}`;
    assert.ok(!printed.includes(secret), 'the token leaked into the error');
    return true;
  });
});

test('query-parameter auth never shows the token in errors or call events', async () => {
  const secret = 'hapikey-secret-value-42';
  const calls: CallEvent[] = [];
  // A closed port: the network error must not carry the URL with the key.
  const client = new ProviderClient({
    connectionId: 'conn_q', tokens: { getToken: async () => ({ value: secret, type: 'api_key' }), refresh: async () => ({ value: secret, type: 'api_key' }) },
    profile: hubspotProfile('http://127.0.0.1:9', { auth: { style: 'query', param: 'hapikey' }, retry: { maxAttempts: 1 } }),
    onCall: (e) => calls.push(e),
  });
  await assert.rejects(client.request({ method: 'GET', path: '/webhooks/v3/1/settings' }), (err: unknown) => {
    assert.ok(err instanceof ProviderError && err.code === 'provider_network_error');
    let printed = '';
    for (let e: unknown = err; e instanceof Error; e = e.cause) printed += `${e.message} ${e.stack} ${JSON.stringify(e)}`;
    assert.ok(!printed.includes(secret), 'the key leaked into the error chain');
    return true;
  });
  assert.ok(!JSON.stringify(calls).includes(secret));
  assert.equal(calls[0]?.path, '/webhooks/v3/1/settings');
});
