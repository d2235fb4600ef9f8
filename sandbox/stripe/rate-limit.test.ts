import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStripe } from './index.ts';

/** A burst above the budget gets Stripe's 429 and the window recovers; each fault knob does what it says. */
const fake = await startStripe({ seed: { generate: { customers: 3 } }, knobs: { rateLimit: 4, rateWindowMs: 300 } });
after(() => fake.close());
const get = (path = '/v1/events') => fetch(`${fake.url}${path}`, { headers: { authorization: `Bearer ${fake.credentials.secretKey}` } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const setFaults = (f: Record<string, number>) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });

describe('Stripe limits and faults', () => {
  test('over the budget: 429 rate_limit, then the window recovers', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get()).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    const body = await (await get()).json() as { error: { type: string; code: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.code, 'rate_limit');
    await sleep(350);
    assert.equal((await get()).status, 200);
  });

  test('missing key is a 401 with Stripe\'s message; limit out of range is a 400', async () => {
    await sleep(350);
    const res = await fetch(`${fake.url}/v1/events`);
    assert.equal(res.status, 401);
    assert.match((await res.json() as { error: { message: string } }).error.message, /^You did not provide an API key/);
    const bad = await get('/v1/events?limit=101');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json() as { error: { param: string } }).error.param, 'limit');
  });

  test('errorRate, burst429, latency, drop and malformed-page faults', async () => {
    await sleep(350);
    await setFaults({ errorRate: 1, errorStatus: 500 });
    assert.equal((await get()).status, 500);
    await setFaults({ burst429: 1 });
    assert.equal((await get()).status, 429);
    assert.equal((await get()).status, 200);
    await sleep(350);
    await setFaults({ latencyMs: 80 });
    const t0 = process.hrtime.bigint();
    await get();
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 >= 70);
    await setFaults({ dropRate: 1 });
    await assert.rejects(get(), /fetch failed/);
    await sleep(350);
    await setFaults({ malformedPages: 1 });
    await assert.rejects((await get()).json(), SyntaxError);
    assert.equal(((await (await get()).json()) as { data: unknown[] }).data.length, 3);
  });
});
