import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMonday, SANDBOX_API_TOKEN } from './index.ts';

/**
 * Limits and faults: the complexity budget (in each API version's shape),
 * the request-count limit, cursor expiry and page-size limit, every fault
 * knob, and the OAuth flow.
 */
let fake: Awaited<ReturnType<typeof startMonday>>;

const gql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => fetch(`${fake.url}/v2`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: SANDBOX_API_TOKEN, 'api-version': '2025-07', ...headers },
  body: JSON.stringify({ query, variables }),
});

before(async () => {
  fake = await startMonday({ seed: { generate: { boards: 1, items: 30 } } });
});
after(async () => {
  await fake.close();
});
beforeEach(async () => {
  await fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
  fake.ctx.state.budgets.clear();
  fake.ctx.state.minuteWindow = null;
  Object.assign(fake.ctx.knobs, { complexityBudget: 10_000_000, complexityWindowMs: 60_000, requestsPerWindow: 5000, requestWindowMs: 60_000, cursorTtlSec: 3600 });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('monday limits', () => {
  test('complexity budget: exhausted answer per API version, then the window recovers', async () => {
    Object.assign(fake.ctx.knobs, { complexityBudget: 100, complexityWindowMs: 1000 });
    const query = 'query { complexity { query } boards(limit: 10) { id name } }';
    const first = await (await gql(query)).json() as { data: { complexity: { query: number } } };
    const cost = first.data.complexity.query;
    assert.ok(cost > 0 && cost <= 100);
    let res = await gql(query);
    for (let i = 0; i < 100 && res.status === 200; i++) res = await gql(query);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.deepEqual(await res.json(), { errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: Number(res.headers.get('retry-after')) } }] });

    const hotfix = await (await gql(query, {}, { 'api-version': '2025-01' })).json() as { errors: { extensions: Record<string, unknown> }[] };
    assert.equal(hotfix.errors[0]!.extensions.complexity_budget_limit, 100);
    assert.equal(hotfix.errors[0]!.extensions.status_code, 429);
    const legacy = await gql(query, {}, { 'api-version': '2024-10' });
    assert.equal(legacy.status, 429);
    const legacyBody = await legacy.json() as { error_code: string; error_message: string };
    assert.equal(legacyBody.error_code, 'ComplexityException');
    assert.match(legacyBody.error_message, /^Complexity budget exhausted, query cost \d+ budget remaining \d+ out of 100 reset in \d+ seconds$/);

    await sleep(1100);
    assert.equal((await gql(query)).status, 200);
  });

  test('a single query over the max complexity is rejected with HTTP 200', async () => {
    fake.ctx.knobs.maxQueryComplexity = 1000;
    try {
      const res = await gql('query { boards(limit: 500) { items_page(limit: 500) { items { id } } } }');
      assert.equal(res.status, 200);
      const body = await res.json() as { errors: { extensions: { code: string } }[] };
      assert.equal(body.errors[0]!.extensions.code, 'maxComplexityExceeded');
    } finally {
      fake.ctx.knobs.maxQueryComplexity = 5_000_000;
    }
  });

  test('request limit: "Rate Limit Exceeded" with Retry-After, then recovery', async () => {
    Object.assign(fake.ctx.knobs, { requestsPerWindow: 3, requestWindowMs: 1000 });
    for (let i = 0; i < 3; i++) assert.equal((await gql('query { me { id } }')).status, 200);
    const res = await gql('query { me { id } }');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
    const body = await res.json() as { errors: { message: string; extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.message, 'Rate Limit Exceeded');
    await sleep(1100);
    assert.equal((await gql('query { me { id } }')).status, 200);
  });

  test('cursor expiry and the 500 page-size limit', async () => {
    const board = [...fake.ctx.state.boards.values()][0]!;
    const res = await (await gql(`query { boards(ids: ${board.id}) { items_page(limit: 10) { cursor } } }`)).json() as { data: { boards: { items_page: { cursor: string } }[] } };
    const cursor = res.data.boards[0]!.items_page.cursor;
    assert.ok(cursor);
    const ok = await (await gql('query ($c: String!) { next_items_page(cursor: $c, limit: 10) { cursor items { id } } }', { c: cursor })).json() as { data: { next_items_page: { items: unknown[] } } };
    assert.equal(ok.data.next_items_page.items.length, 10);
    fake.ctx.knobs.cursorTtlSec = 0;
    await sleep(5);
    const expired = await (await gql('query ($c: String!) { next_items_page(cursor: $c, limit: 10) { cursor } }', { c: cursor })).json() as { errors: { extensions: { code: string } }[] };
    assert.equal(expired.errors[0]!.extensions.code, 'CursorExpiredError');
    const tooBig = await (await gql(`query { boards(ids: ${board.id}) { items_page(limit: 501) { cursor } } }`)).json() as { errors: { extensions: { code: string } }[] };
    assert.equal(tooBig.errors[0]!.extensions.code, 'InvalidArgumentException');
  });

  const setFaults = (f: Record<string, number>) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });

  test('faults: 429 burst, 5xx rate, latency, dropped connection, malformed page', async () => {
    await setFaults({ burst429: 1 });
    const limited = await gql('query { me { id } }');
    assert.equal(limited.status, 429);
    assert.equal(((await limited.json()) as { errors: { message: string }[] }).errors[0]!.message, 'Rate Limit Exceeded');
    assert.equal((await gql('query { me { id } }')).status, 200);

    await setFaults({ errorRate: 1, errorStatus: 500 });
    assert.equal((await gql('query { me { id } }')).status, 500);

    await setFaults({ latencyMs: 120 });
    const t0 = Date.now();
    assert.equal((await gql('query { me { id } }')).status, 200);
    assert.ok(Date.now() - t0 >= 100, 'the answer was held back');

    await setFaults({ dropRate: 1 });
    await assert.rejects(gql('query { me { id } }'));

    await setFaults({ malformedPages: 1 });
    const board = [...fake.ctx.state.boards.values()][0]!;
    const broken = await gql(`query { boards(ids: ${board.id}) { items_page(limit: 5) { cursor items { id } } } }`);
    assert.equal(broken.status, 200);
    await assert.rejects(broken.json());
    const fixed = await gql(`query { boards(ids: ${board.id}) { items_page(limit: 5) { cursor items { id } } } }`);
    assert.equal(((await fixed.json()) as { data: { boards: { items_page: { items: unknown[] } }[] } }).data.boards[0]!.items_page.items.length, 5);
  });

  test('OAuth: authorize redirects with a code; tokens do not expire by default', async () => {
    const { clientId, clientSecret } = fake.credentials;
    const auth = await fetch(`${fake.url}/oauth2/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}&state=xyz`, { redirect: 'manual' });
    assert.equal(auth.status, 302);
    const location = new URL(auth.headers.get('location')!);
    assert.equal(location.searchParams.get('state'), 'xyz');
    const code = location.searchParams.get('code')!;
    const tokenRes = await fetch(`${fake.url}/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, code, redirect_uri: 'http://127.0.0.1:1/cb' }),
    });
    assert.equal(tokenRes.status, 200);
    const token = await tokenRes.json() as Record<string, unknown>;
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.expires_in, undefined);
    assert.equal(token.refresh_token, undefined);
    const me = await fetch(`${fake.url}/v2`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: String(token.access_token) }, body: JSON.stringify({ query: '{ me { id } }' }) });
    assert.equal(me.status, 200);
    const reused = await fetch(`${fake.url}/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, code, redirect_uri: 'http://127.0.0.1:1/cb' }),
    });
    assert.equal(reused.status, 400);
  });
});
