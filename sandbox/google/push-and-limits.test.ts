import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver, type Receiver } from '../core/test-receiver.ts';
import { startGoogle } from './index.ts';

/** Drive push channels, the per-user quota and the fault knobs, over real HTTP. */

describe('drive push notifications', () => {
  let fake: Awaited<ReturnType<typeof startGoogle>>;
  let hook: Receiver;
  const auth = () => ({ authorization: `Bearer ${fake.credentials.accessToken}`, 'content-type': 'application/json' });
  const watch = (body: object) => fetch(`${fake.url}/drive/v3/files/${fake.credentials.spreadsheetId}/watch`, { method: 'POST', headers: auth(), body: JSON.stringify(body) });

  before(async () => {
    fake = await startGoogle();
    hook = await startReceiver({ path: '/push' });
  });
  after(async () => {
    await fake.close();
    await hook.close();
  });

  test('watch opens a channel and sends sync first, then update on each change', async () => {
    const res = await watch({ id: 'chan-1', type: 'web_hook', address: hook.url, token: 'target=switchyard' });
    assert.equal(res.status, 200);
    const channel = (await res.json()) as { kind: string; id: string; resourceId: string; expiration: string; token: string };
    assert.equal(channel.kind, 'api#channel');
    assert.equal(channel.token, 'target=switchyard');
    assert.match(channel.expiration, /^\d+$/);
    const ttl = Number(channel.expiration) - Date.now();
    assert.ok(ttl > 3_500_000 && ttl <= 3_600_000, 'default lifetime is an hour');
    assert.equal(hook.received.length, 1);
    const sync = hook.received[0]!.headers;
    assert.equal(sync['x-goog-resource-state'], 'sync');
    assert.equal(sync['x-goog-channel-id'], 'chan-1');
    assert.equal(sync['x-goog-channel-token'], 'target=switchyard');
    assert.equal(sync['x-goog-resource-id'], channel.resourceId);
    assert.equal(sync['x-goog-message-number'], '1');

    // An API write and a "UI" edit each produce one update.
    await fetch(`${fake.url}/v4/spreadsheets/${fake.credentials.spreadsheetId}/values/Sheet1!A10?valueInputOption=RAW`, { method: 'PUT', headers: auth(), body: JSON.stringify({ values: [['x']] }) });
    await fetch(`${fake.url}/_sandbox/google/spreadsheets/${fake.credentials.spreadsheetId}/values`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ range: 'Sheet1!B10', values: [['y']] }) });
    assert.equal(hook.received.length, 3);
    for (const [i, g] of hook.received.slice(1).entries()) {
      assert.equal(g.headers['x-goog-resource-state'], 'update');
      assert.equal(g.headers['x-goog-changed'], 'content');
      assert.equal(g.headers['x-goog-message-number'], String(i + 2));
      assert.equal(g.headers['x-goog-resource-id'], channel.resourceId);
      assert.equal(g.body, '');
    }
  });

  test('reads do not notify; stop ends the channel', async () => {
    hook.received.length = 0;
    await fetch(`${fake.url}/v4/spreadsheets/${fake.credentials.spreadsheetId}/values/A1`, { headers: auth() });
    assert.equal(hook.received.length, 0);
    const rid = ((await (await fetch(`${fake.url}/_sandbox/state`)).json()) as { channels: Array<{ id: string }> }).channels[0]!.id;
    assert.equal(rid, 'chan-1');
    const bad = await fetch(`${fake.url}/drive/v3/channels/stop`, { method: 'POST', headers: auth(), body: JSON.stringify({ id: 'chan-1', resourceId: 'wrong' }) });
    assert.equal(bad.status, 404);
    const resourceId = String(hook.received[0]?.headers['x-goog-resource-id'] ?? fake.ctx.state.channels.get('chan-1')!.resourceId);
    const stop = await fetch(`${fake.url}/drive/v3/channels/stop`, { method: 'POST', headers: auth(), body: JSON.stringify({ id: 'chan-1', resourceId }) });
    assert.equal(stop.status, 204);
    await fetch(`${fake.url}/_sandbox/google/spreadsheets/${fake.credentials.spreadsheetId}/values`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ range: 'Sheet1!C10', values: [['z']] }) });
    assert.equal(hook.received.length, 0);
  });

  test('expiration is capped at a day, expired channels fall silent', async () => {
    const far = await watch({ id: 'chan-far', type: 'web_hook', address: hook.url, expiration: String(Date.now() + 7 * 86_400_000) });
    const exp = Number(((await far.json()) as { expiration: string }).expiration);
    assert.ok(exp <= Date.now() + 86_400_000);
    const soon = await watch({ id: 'chan-soon', type: 'web_hook', address: hook.url, expiration: String(Date.now() + 30) });
    assert.equal(soon.status, 200);
    await new Promise((r) => setTimeout(r, 60));
    hook.received.length = 0;
    await fetch(`${fake.url}/_sandbox/google/spreadsheets/${fake.credentials.spreadsheetId}/values`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ range: 'Sheet1!D10', values: [['w']] }) });
    assert.deepEqual(hook.received.map((g) => g.headers['x-goog-channel-id']), ['chan-far']);
  });

  test('a failing address is retried with the same message number', async () => {
    const flaky = await startReceiver({ path: '/push', statuses: [500, 500] });
    try {
      await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pushRetryDelaysMs: [20] }) });
      await watch({ id: 'chan-flaky', type: 'web_hook', address: flaky.url });
      flaky.received.length = 0;
      await fetch(`${fake.url}/_sandbox/google/spreadsheets/${fake.credentials.spreadsheetId}/values`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ range: 'Sheet1!E10', values: [['v']] }) });
      await fake.ctx.webhooks.drain();
      const mine = flaky.received.filter((g) => g.headers['x-goog-channel-id'] === 'chan-flaky');
      assert.equal(mine.length, 2);
      assert.equal(mine[0]!.headers['x-goog-message-number'], mine[1]!.headers['x-goog-message-number']);
    } finally {
      await flaky.close();
    }
  });
});

describe('google quota and faults', () => {
  let fake: Awaited<ReturnType<typeof startGoogle>>;
  before(async () => {
    fake = await startGoogle({ knobs: { readPerMinutePerUser: 3, quotaWindowMs: 500 } });
  });
  after(() => fake.close());
  const get = (signal?: AbortSignal) => fetch(`${fake.url}/v4/spreadsheets/${fake.credentials.spreadsheetId}/values/Sheet1!A1`, { headers: { authorization: `Bearer ${fake.credentials.accessToken}` }, ...(signal ? { signal } : {}) });
  const put = (faults: object) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });

  test('reads over the per-user quota get 429 RESOURCE_EXHAUSTED, and the window recovers', async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await get()).status, 200);
    const over = await get();
    assert.equal(over.status, 429);
    const body = (await over.json()) as { error: { code: number; status: string; message: string; details: Array<{ reason?: string }> } };
    assert.equal(body.error.code, 429);
    assert.equal(body.error.status, 'RESOURCE_EXHAUSTED');
    assert.match(body.error.message, /Read requests per minute per user/);
    assert.equal(body.error.details[0]!.reason, 'RATE_LIMIT_EXCEEDED');
    await new Promise((r) => setTimeout(r, 550));
    assert.equal((await get()).status, 200);
  });

  test('fault knobs: 5xx, 429 burst, latency, drop, malformed', async () => {
    await fetch(`${fake.url}/_sandbox/google/quota/reset`, { method: 'POST' });
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ readPerMinutePerUser: 1000 }) });
    await put({ errorRate: 1, errorStatus: 503 });
    assert.equal((await get()).status, 503);
    await put({ burst429: 1 });
    const limited = await get();
    assert.equal(limited.status, 429);
    assert.equal(((await limited.json()) as { error: { status: string } }).error.status, 'RESOURCE_EXHAUSTED');
    assert.equal((await get()).status, 200);
    await put({ latencyMs: 400 });
    await assert.rejects(get(AbortSignal.timeout(50)), (e: Error) => e.name === 'TimeoutError');
    await put({ dropRate: 1 });
    await assert.rejects(get());
    await put({ malformedPages: 1 });
    await assert.rejects((await get()).json());
    assert.equal((await get()).status, 200);
    await put({});
  });
});
