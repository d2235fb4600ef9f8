import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import type { LoggedRequest } from '../../sandbox/core/request-log.ts';
import { ProviderClient, ProviderError, staticToken, type CallEvent } from '../../src/http-client/index.ts';
import { hubspotProfile } from './profiles.ts';

/*
 * A scripted sequence of HubSpot operations under 20% injected 5xx, a burst
 * of 429s and added latency: every operation must still end with the right
 * result, checked against the fake's own final state.
 */
let fake: Awaited<ReturnType<typeof startHubSpot>>;
const calls: CallEvent[] = [];
let client: ProviderClient;

before(async () => {
  fake = await startHubSpot();
  client = new ProviderClient({
    connectionId: 'conn_retry', tokens: staticToken(fake.credentials.accessToken!),
    profile: hubspotProfile(fake.url, { retry: { maxAttempts: 8, initialDelayMs: 5, maxDelayMs: 50 } }),
    onCall: (e) => calls.push(e),
  });
});
after(async () => {
  await fake.close();
});

const faults = (body: object) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('every operation of a scripted sequence completes under 20% 5xx, a 429 burst and latency', async () => {
  await faults({ errorRate: 0.2, errorStatus: 500, burst429: 6, latencyMs: 15 });
  const emails = ['ada@example.com', 'grace@example.com', 'linus@example.com'];

  const upsert = await client.json<{ results: { id: string }[] }>({
    method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert', idempotent: true,
    body: { inputs: emails.map((email, i) => ({ id: email, idProperty: 'email', properties: { firstname: `N${i}`, lastname: 'Retry' } })) },
  });
  assert.equal(upsert.results.length, 3);
  const ids: Record<string, string> = {};
  for (const email of emails) {
    const found = await client.json<{ id: string }>({ method: 'GET', path: `/crm/v3/objects/contacts/${encodeURIComponent(email)}`, query: { idProperty: 'email' } });
    ids[email] = found.id;
  }
  assert.equal(new Set(Object.values(ids)).size, 3);

  const grace = await client.json<{ id: string; properties: Record<string, string> }>({
    method: 'GET', path: `/crm/v3/objects/contacts/${encodeURIComponent('grace@example.com')}`, query: { idProperty: 'email', properties: 'firstname,email' },
  });
  assert.equal(grace.id, ids['grace@example.com']);

  await client.json({ method: 'PATCH', path: `/crm/v3/objects/contacts/${ids['ada@example.com']}`, idempotent: true, body: { properties: { firstname: 'Ada' } } });
  const del = await client.request({ method: 'DELETE', path: `/crm/v3/objects/contacts/${ids['linus@example.com']}` });
  assert.ok(del.status === 204 || del.status === 404, `delete answered ${del.status}`);

  const listed: { id: string; properties: Record<string, string> }[] = [];
  for await (const c of client.items<{ id: string; properties: Record<string, string> }>({ method: 'GET', path: '/crm/v3/objects/contacts', query: { properties: 'firstname,email' } }, { limit: 2 })) listed.push(c);
  await faults({});

  // The fake's final state, read without faults.
  const state = await (await fetch(`${fake.url}/_sandbox/state`)).json() as { counts: { contacts: { live: number; archived: number } } };
  assert.deepEqual(state.counts.contacts, { live: 2, archived: 1 });
  const ada = await client.json<{ properties: Record<string, string> }>({ method: 'GET', path: `/crm/v3/objects/contacts/${ids['ada@example.com']}`, query: { properties: 'firstname' } });
  assert.equal(ada.properties.firstname, 'Ada');
  assert.deepEqual(listed.map((c) => c.properties.email).sort(), ['ada@example.com', 'grace@example.com']);

  // The faults really happened and were retried.
  const log = ((await (await fetch(`${fake.url}/_sandbox/requests`)).json()) as { requests: LoggedRequest[] }).requests;
  assert.equal(log.filter((e) => e.status === 429).length, 6);
  assert.ok(log.filter((e) => e.status === 500).length >= 1, 'no 5xx was injected');
  assert.ok(calls.some((c) => c.attempt > 1), 'nothing was retried');
  assert.equal(calls.filter((c) => c.status === 429).length, 6);
});

test('a POST without an idempotency mark is retried after a 429 but not after a 5xx', async () => {
  await faults({ burst429: 1 });
  const created = await client.request({ method: 'POST', path: '/crm/v3/objects/contacts', body: { properties: { email: 'once@example.com' } } });
  assert.equal(created.status, 201);
  assert.equal(created.attempts, 2);

  await faults({ errorRate: 1, errorStatus: 502 });
  const failed = await client.request({ method: 'POST', path: '/crm/v3/objects/contacts', body: { properties: { email: 'twice@example.com' } } });
  await faults({});
  assert.equal(failed.status, 502);
  assert.equal(failed.attempts, 1);
  assert.throws(() => client.assertOk({ method: 'POST', path: '/crm/v3/objects/contacts' }, failed), (e: unknown) => e instanceof ProviderError && e.code === 'provider_http_error' && e.status === 502);
});

test('Retry-After is honoured before the next attempt', async () => {
  const arrivals: number[] = [];
  const server = createServer((_req, res) => {
    arrivals.push(performance.now());
    if (arrivals.length === 1) res.writeHead(503, { 'retry-after': '1' }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const c = new ProviderClient({ connectionId: 'conn_ra', tokens: staticToken('t'), profile: hubspotProfile(`http://127.0.0.1:${port}`, { rateLimits: [] }) });
    const res = await c.request({ method: 'GET', path: '/anything' });
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 2);
    // The backoff alone would have waited about 200 ms; the header asked for a second.
    assert.ok(arrivals[1]! - arrivals[0]! >= 990, `second attempt came ${Math.round(arrivals[1]! - arrivals[0]!)} ms after the first`);
  } finally {
    server.close();
  }
});
