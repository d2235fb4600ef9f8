import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHubSpot } from './index.ts';

/**
 * A burst above the limit gets HubSpot's exact 429 and headers, and the
 * window recovers. Windows are shrunk by knobs so the test is quick.
 */
const fake = await startHubSpot({ knobs: { burstLimit: 5, burstWindowMs: 400, searchLimit: 2, searchWindowMs: 400, dailyLimit: 1_000 } });
after(() => fake.close());

const get = (token: string) => fetch(`${fake.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${token}` } });
const search = (token: string) => fetch(`${fake.url}/crm/v3/objects/contacts/search`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ limit: 1 }),
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HubSpot rate limits', () => {
  test('the burst window answers TEN_SECONDLY_ROLLING 429s with headers, then recovers', async () => {
    const token = fake.credentials.oauthAccessToken ?? '';
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await get(token));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 429, 429]);
    assert.deepEqual(answers.map((r) => r.headers.get('x-hubspot-ratelimit-remaining')), ['4', '3', '2', '1', '0', '0', '0']);
    const limited = answers[5];
    assert.ok(limited);
    assert.equal(limited.headers.get('x-hubspot-ratelimit-max'), '5');
    assert.equal(limited.headers.get('x-hubspot-ratelimit-interval-milliseconds'), '400');
    assert.equal(limited.headers.get('x-hubspot-ratelimit-daily'), null, 'OAuth calls carry no daily headers');
    const body = await limited.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['correlationId', 'errorType', 'message', 'policyName', 'requestId', 'status']);
    assert.equal(body.status, 'error');
    assert.equal(body.errorType, 'RATE_LIMIT');
    assert.equal(body.policyName, 'TEN_SECONDLY_ROLLING');
    await sleep(450);
    const recovered = await get(token);
    assert.equal(recovered.status, 200);
    assert.equal(recovered.headers.get('x-hubspot-ratelimit-remaining'), '4');
  });

  test('private-app tokens see the daily headers', async () => {
    await sleep(450);
    const res = await get(fake.credentials.accessToken ?? '');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-hubspot-ratelimit-daily'), '1000');
    assert.equal(Number(res.headers.get('x-hubspot-ratelimit-daily-remaining')), 1000 - 1);
  });

  test('search has its own per-second limit with the SECONDLY body, outside the burst budget', async () => {
    await sleep(450);
    const token = fake.credentials.oauthAccessToken ?? '';
    const answers = [await search(token), await search(token), await search(token)];
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 429]);
    assert.equal(answers[0]?.headers.get('x-hubspot-ratelimit-remaining'), null, 'no rate headers on search by default');
    const body = await answers[2]?.json() as Record<string, unknown>;
    assert.equal(body.message, 'You have reached your secondly limit.');
    assert.equal(body.policyName, 'SECONDLY');
    const burst = await get(token);
    assert.equal(burst.headers.get('x-hubspot-ratelimit-remaining'), '4', 'search calls did not spend the burst budget');
    await sleep(450);
    assert.equal((await search(token)).status, 200);
  });

  test('the daily limit answers a DAILY 429 once spent', async () => {
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dailyLimit: 2 }) });
    await sleep(450);
    const token = fake.credentials.accessToken ?? '';
    const last = await get(token);
    assert.equal(last.status, 200);
    assert.equal(last.headers.get('x-hubspot-ratelimit-daily-remaining'), '0');
    const res = await get(token);
    assert.equal(res.status, 429);
    const body = await res.json() as Record<string, unknown>;
    assert.equal(body.policyName, 'DAILY');
    assert.equal(res.headers.get('x-hubspot-ratelimit-daily-remaining'), '0');
  });
});
