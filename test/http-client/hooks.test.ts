import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { ProviderClient, bucketParams, memoryBucketStore, redisBucketStore, staticToken, type CallEvent } from '../../src/http-client/index.ts';
import { hubspotProfile } from './profiles.ts';

let fake: Awaited<ReturnType<typeof startHubSpot>>;
let redis: Redis;
before(async () => {
  fake = await startHubSpot();
  redis = new Redis({ host: '127.0.0.1', port: 6379 });
});
after(async () => {
  await fake.close();
  await redis.quit();
});

const create = { method: 'POST', path: '/crm/v3/objects/contacts', query: { note: 'q' }, body: { properties: { email: 'hook@example.com', firstname: 'Secret' } } };

test('call events and spans carry no bodies unless debug is on', async () => {
  const calls: CallEvent[] = [];
  const spans: { name: string; attrs: Record<string, string | number>; status?: { code: number } }[] = [];
  const client = new ProviderClient({
    connectionId: 'conn_hooks', tokens: staticToken(fake.credentials.accessToken!), profile: hubspotProfile(fake.url), onCall: (e) => calls.push(e),
    tracer: { startSpan: (name, attrs) => { const s: (typeof spans)[number] = { name, attrs }; spans.push(s); return { end: (status) => { s.status = status; } }; } },
  });
  const res = await client.request(create);
  assert.equal(res.status, 201);
  assert.equal(calls.length, 1);
  assert.deepEqual(Object.keys(calls[0]!).sort(), ['attempt', 'connectionId', 'durationMs', 'method', 'path', 'provider', 'rateLimitWaitMs', 'status']);
  assert.equal(calls[0]!.path, '/crm/v3/objects/contacts');
  assert.ok(!JSON.stringify(calls).includes('Secret'));
  assert.deepEqual(spans.map((s) => [s.name, s.attrs['http.request.method'], s.status?.code]), [['provider.request', 'POST', 201]]);
});

test('debug bodies go through the redact function, and debug without one is refused', async () => {
  assert.throws(() => new ProviderClient({ connectionId: 'c', tokens: staticToken('t'), profile: hubspotProfile(fake.url), debug: true }));
  const calls: CallEvent[] = [];
  const client = new ProviderClient({
    connectionId: 'conn_debug', tokens: staticToken(fake.credentials.accessToken!), profile: hubspotProfile(fake.url), debug: true,
    redact: (body) => JSON.parse(JSON.stringify(body).replaceAll('Secret', '[redacted]')),
    onCall: (e) => calls.push(e),
  });
  await client.request({ ...create, body: { properties: { email: 'hook2@example.com', firstname: 'Secret' } } });
  assert.deepEqual(calls[0]!.requestBody, { properties: { email: 'hook2@example.com', firstname: '[redacted]' } });
  assert.equal((calls[0]!.responseBody as { properties: Record<string, string> }).properties.firstname, '[redacted]');
});

test('the Redis bucket and the memory bucket agree on capacity and refusal', async () => {
  const params = bucketParams({ points: 100, durationMs: 10_000 });
  const key = `hooks-test:${process.pid}:${Date.now()}`;
  for (const [name, store] of [['memory', memoryBucketStore()], ['redis', redisBucketStore(redis, 'switchyard:test:')]] as const) {
    const results = [];
    for (let i = 0; i <= params.capacity; i += 1) results.push(await store.run(key, params, { op: 'take', n: 1 }));
    assert.deepEqual(results.map((r) => r.ok), [...Array(params.capacity).fill(true), false], `${name}: ${JSON.stringify(results)}`);
    assert.ok(results.at(-1)!.waitMs > 0 && results.at(-1)!.waitMs <= Math.ceil(params.perTokenMs));
    assert.equal((await store.run(`${key}:cap`, params, { op: 'cap', n: 1 })).tokens, 1);
  }
});
