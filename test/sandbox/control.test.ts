import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGithub } from '../../sandbox/github/index.ts';
import { startGoogle } from '../../sandbox/google/index.ts';
import { startSandbox, UnknownFakeError, type Sandbox } from '../../sandbox/index.ts';

/**
 * The control API across fakes: an injected 5xx speaks each provider's own
 * error shape, and POST /_sandbox/reset also clears rate windows a fake keeps
 * outside its state.
 */
const setFaults = (url: string, faults: object) =>
  fetch(`${url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });

describe('injected 5xx bodies', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
  });
  after(() => sandbox.close());

  const fake = (name: string) => sandbox.fakes.find((f) => f.name === name)!;

  /** One ordinary API call per fake, built from its printed credentials only. */
  const calls: Record<string, (url: string, c: Record<string, string>) => Promise<Response>> = {
    hubspot: (url, c) => fetch(`${url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${c.accessToken}` } }),
    stripe: (url, c) => fetch(`${url}/v1/customers`, { headers: { authorization: `Bearer ${c.secretKey}` } }),
    monday: (_url, c) => fetch(c.endpoint!, { method: 'POST', headers: { authorization: c.apiToken!, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) }),
    notion: async (url, c) => {
      const state = await (await fetch(`${url}/_sandbox/state`)).json() as { databases: { id: string }[] };
      return fetch(`${url}/v1/databases/${state.databases[0]!.id}`, { headers: { authorization: `Bearer ${c.integrationToken}`, 'notion-version': '2022-06-28' } });
    },
    salesforce: (_url, c) => fetch(`${c.instanceUrl}/services/data/v60.0/limits`, { headers: { authorization: `Bearer ${c.accessToken}` } }),
    wordpress: (_url, c) => fetch(`${c.baseUrl}/wp/v2/posts`),
    github: (url, c) => fetch(`${url}/repos/octocat/Hello-World`, { headers: { authorization: `token ${c.token}` } }),
    google: (url, c) => fetch(`${url}/v4/spreadsheets/${c.spreadsheetId}`, { headers: { authorization: `Bearer ${c.accessToken}` } }),
  };

  const shapes: Record<string, (body: any) => void> = {
    hubspot: (b) => assert.deepEqual([b.status, b.category, typeof b.correlationId], ['error', 'INTERNAL_ERROR', 'string']),
    stripe: (b) => assert.equal(b.error.type, 'api_error'),
    monday: (b) => assert.equal(b.errors[0].extensions.code, 'INTERNAL_SERVER_ERROR'),
    notion: (b) => assert.deepEqual([b.object, b.status, b.code], ['error', 503, 'service_unavailable']),
    salesforce: (b) => assert.equal(b[0].errorCode, 'SERVER_UNAVAILABLE'),
    wordpress: (b) => assert.deepEqual([b.code, b.data.status], ['internal_server_error', 503]),
    github: (b) => assert.deepEqual([b.message, b.status], ['Service Unavailable', '503']),
    google: (b) => assert.deepEqual([b.error.code, b.error.status], [503, 'UNAVAILABLE']),
  };

  for (const name of Object.keys(calls)) {
    test(`${name}: errorRate 1 answers 503 in ${name}'s error shape, then recovers`, async () => {
      const { url, credentials } = fake(name);
      assert.equal((await calls[name]!(url, credentials)).status, 200);
      await setFaults(url, { errorRate: 1, errorStatus: 503 });
      const res = await calls[name]!(url, credentials);
      assert.equal(res.status, 503);
      shapes[name]!(await res.json());
      await setFaults(url, {});
      assert.equal((await calls[name]!(url, credentials)).status, 200);
    });
  }

  test('startSandbox refuses unknown names before starting anything', async () => {
    await assert.rejects(startSandbox({ providers: ['hubspot', 'nosuch'] }), UnknownFakeError);
  });
});

describe('POST /_sandbox/reset clears rate windows kept outside state, and keeps printed credentials valid', () => {
  test('github: an exhausted core budget is fresh again after reset', async () => {
    const fake = await startGithub({ knobs: { userLimit: 2, rateLimitStatus: 429 } });
    try {
      const get = () => fetch(`${fake.url}/repos/octocat/Hello-World`, { headers: { authorization: `token ${fake.credentials.token}` } });
      assert.deepEqual([(await get()).status, (await get()).status], [200, 200]);
      assert.equal((await get()).status, 429);
      await fetch(`${fake.url}/_sandbox/reset`, { method: 'POST' });
      const again = await get();
      assert.equal(again.status, 200, 'the printed PAT still works');
      assert.equal(again.headers.get('x-ratelimit-remaining'), '1');
    } finally {
      await fake.close();
    }
  });

  test('google: an exhausted read quota is fresh again after reset', async () => {
    const fake = await startGoogle({ knobs: { readPerMinutePerUser: 1 } });
    try {
      const get = () => fetch(`${fake.url}/v4/spreadsheets/${fake.credentials.spreadsheetId}`, { headers: { authorization: `Bearer ${fake.credentials.accessToken}` } });
      assert.equal((await get()).status, 200);
      assert.equal((await get()).status, 429);
      await fetch(`${fake.url}/_sandbox/reset`, { method: 'POST' });
      assert.equal((await get()).status, 200);
    } finally {
      await fake.close();
    }
  });
});
