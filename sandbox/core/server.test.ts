import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseForm, startFake, type FakeDefinition, type RunningFake } from './server.ts';
import { RateWindow } from './rate-window.ts';

/** The shared control API through a minimal fake: reset hooks, fault bodies, form parsing. */
interface State { items: string[] }
interface Knobs { limit: number }

const windows = new WeakMap<object, RateWindow>();
const windowOf = (ctx: object) => windows.get(ctx) ?? windows.set(ctx, new RateWindow(2, 60_000)).get(ctx)!;

const definition: FakeDefinition<State, Knobs> = {
  name: 'mini',
  tokenPrefix: 'mini_',
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: { limit: 2 },
  webhookRetryDelaysMs: [],
  createState: () => ({ items: [] }),
  seed: (ctx, spec) => {
    ctx.state.items.push(...((spec as { items?: string[] }).items ?? []));
  },
  send429: (reply) => reply.code(429).send({ mini: 'slow down' }),
  sendError: (reply, status) => reply.code(status).send({ mini: 'broken', code: status }),
  onReset: (ctx) => windowOf(ctx).reset(),
  routes: (app, ctx) => {
    app.get('/items', async (_req, reply) => (windowOf(ctx).take('me').ok ? { items: ctx.state.items } : reply.code(429).send({ mini: 'slow down' })));
    app.post('/form', async (req) => req.body);
  },
  inspect: (ctx) => ({ items: ctx.state.items.length }),
  credentials: () => ({ token: 'mini' }),
};

describe('core server', () => {
  let fake: RunningFake<State, Knobs>;
  before(async () => {
    fake = await startFake(definition, { seed: { items: ['a'] } });
  });
  after(() => fake.close());
  const post = (path: string, body?: unknown, method = 'POST') => fetch(`${fake.url}${path}`, {
    method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

  test('reset calls onReset, so windows kept outside state recover too', async () => {
    assert.equal((await fetch(`${fake.url}/items`)).status, 200);
    assert.equal((await fetch(`${fake.url}/items`)).status, 200);
    assert.equal((await fetch(`${fake.url}/items`)).status, 429);
    await post('/_sandbox/reset');
    const after = await fetch(`${fake.url}/items`);
    assert.equal(after.status, 200);
    assert.deepEqual(await after.json(), { items: [] });
  });

  test('an injected 5xx uses the definition\'s sendError body', async () => {
    await post('/_sandbox/faults', { errorRate: 1, errorStatus: 502 }, 'PUT');
    const res = await fetch(`${fake.url}/items`);
    assert.equal(res.status, 502);
    assert.deepEqual(await res.json(), { mini: 'broken', code: 502 });
    await post('/_sandbox/faults', {}, 'PUT');
  });

  test('form bodies keep repeated keys as arrays', async () => {
    const res = await fetch(`${fake.url}/form`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a[]=1&a[]=2&b=x&c=1&c=2&c=3' });
    assert.deepEqual(await res.json(), { 'a[]': ['1', '2'], b: 'x', c: ['1', '2', '3'] });
  });

  test('parseForm keeps every value of every key, in order', () => {
    const pair = fc.tuple(fc.string({ minLength: 1 }).filter((k) => k !== '__proto__'), fc.string());
    fc.assert(fc.property(fc.array(pair), (pairs) => {
      const parsed = parseForm(new URLSearchParams(pairs).toString());
      for (const key of new Set(pairs.map(([k]) => k))) {
        const values = pairs.filter(([k]) => k === key).map(([, v]) => v);
        assert.deepEqual(parsed[key], values.length === 1 ? values[0] : values);
      }
    }));
  });

  test('webhooks/drain answers once retries are done', async () => {
    const res = await post('/_sandbox/webhooks/drain');
    assert.deepEqual(await res.json(), { ok: true, deliveries: 0 });
  });
});
