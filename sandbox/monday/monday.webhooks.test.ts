import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { jwtVerify } from 'jose';
import { ApiClient } from '@mondaydotcomorg/api';
import { startReceiver, type Answer, type Received as ReceivedRequest, type Receiver } from '../core/test-receiver.ts';
import { startMonday, SANDBOX_API_TOKEN } from './index.ts';

/**
 * Webhooks: the challenge handshake on `create_webhook`, board/event/column
 * scoping, and JWT `Authorization` headers checked with jsonwebtoken and
 * jose (neither shares code with the fake's signer).
 */
interface Received { path: string; authorization: string | undefined; body: any }

let fake: Awaited<ReturnType<typeof startMonday>>;
let client: ApiClient;
let receiver: Receiver;
let base = '';
let boardId = '';

const isChallenge = (r: ReceivedRequest) => 'challenge' in (JSON.parse(r.body) as object);

/** Answers the challenge handshake everywhere but `/mute`; every other POST is a delivery. */
function answer(r: ReceivedRequest): Answer {
  if (r.url === '/mute') return { status: 200, body: '{}' };
  if (isChallenge(r)) return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: (JSON.parse(r.body) as { challenge: string }).challenge }) };
  return { status: 200, body: 'ok' };
}

const deliveriesTo = (path: string) => (r: ReceivedRequest) => r.url === path && !isChallenge(r);
const view = (r: ReceivedRequest): Received => ({ path: r.url, authorization: r.headers.authorization, body: JSON.parse(r.body) });

async function waitFor(count: number, path: string): Promise<Received[]> {
  return (await receiver.waitFor(count, deliveriesTo(path))).map(view);
}

before(async () => {
  receiver = await startReceiver({ respond: answer });
  base = receiver.origin;
  fake = await startMonday({ seed: { generate: { boards: 2, items: 5 } } });
  client = new ApiClient({ token: SANDBOX_API_TOKEN, endpoint: `${fake.url}/v2` });
  const res = await client.request<{ boards: { id: string; name: string }[] }>('query { boards { id name } }');
  boardId = res.boards.find((b) => b.name === 'Leads')!.id;
});
after(async () => {
  await fake.ctx.webhooks.drain();
  await fake.close();
  await receiver.close();
});

const createHook = (url: string, event: string, config?: unknown) => client.request<{ create_webhook: { id: string; board_id: string; event: string } }>(
  'mutation ($b: ID!, $u: String!, $e: WebhookEventType!, $c: JSON) { create_webhook(board_id: $b, url: $u, event: $e, config: $c) { id board_id event } }',
  { b: boardId, u: url, e: event, c: config === undefined ? null : JSON.stringify(config) });

describe('monday webhooks', () => {
  test('create_webhook requires the challenge to be echoed', async () => {
    await assert.rejects(createHook(`${base}/mute`, 'create_item'), (err: unknown) =>
      (err as { response?: { errors?: { extensions?: { code?: string } }[] } }).response?.errors?.[0]?.extensions?.code === 'WebhookVerificationFailed');
    const ok = await createHook(`${base}/created`, 'create_item');
    assert.equal(ok.create_webhook.event, 'create_item');
    assert.equal(ok.create_webhook.board_id, boardId);
  });

  test('create_item via the API delivers create_pulse with a verifiable JWT', async () => {
    const created = await client.request<{ create_item: { id: string } }>(
      'mutation ($b: ID!) { create_item(board_id: $b, item_name: "Hooked", column_values: "{\\"company\\":\\"Hook Inc\\"}") { id } }', { b: boardId });
    const [hit] = await waitFor(1, '/created');
    assert.ok(hit, 'delivery arrived');
    assert.equal(hit.body.event.type, 'create_pulse');
    assert.equal(String(hit.body.event.pulseId), created.create_item.id);
    assert.equal(hit.body.event.pulseName, 'Hooked');
    assert.equal(String(hit.body.event.boardId), boardId);
    const claims = jwt.verify(hit.authorization!, fake.credentials.signingSecret!, { audience: `${base}/created`, algorithms: ['HS256'] }) as jwt.JwtPayload;
    assert.equal(typeof claims.accountId, 'number');
    assert.equal(typeof claims.shortLivedToken, 'string');
    assert.ok(claims.exp! > claims.iat!);
    assert.throws(() => jwt.verify(hit.authorization!, 'wrong-secret', { algorithms: ['HS256'] }));
    // The short-lived token works against the API, as Monday's does.
    const shortClient = new ApiClient({ token: claims.shortLivedToken as string, endpoint: `${fake.url}/v2` });
    const me = await shortClient.operations.getMeOp();
    assert.ok(me.me?.id);
  });

  test('change_specific_column_value fires only for its column', async () => {
    await createHook(`${base}/status`, 'change_specific_column_value', { columnId: 'status' });
    const item = [...fake.ctx.state.items.values()].find((i) => i.boardId === boardId)!;
    await client.request('mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }',
      { b: boardId, i: item.id, v: JSON.stringify({ company: 'Other', status: { label: 'Lost' } }) });
    const hits = await waitFor(1, '/status');
    await fake.ctx.webhooks.drain();
    assert.equal(receiver.received.filter(deliveriesTo('/status')).length, 1);
    const ev = hits[0]!.body.event;
    assert.equal(ev.type, 'update_column_value');
    assert.equal(ev.columnId, 'status');
    assert.equal(ev.columnType, 'status');
    assert.equal(ev.value.label.text, 'Lost');
    assert.equal(String(ev.pulseId), item.id);
  });

  test('a UI delete fires item_deleted to a sandbox subscription signed with its secret', async () => {
    const secret = 'per-subscription-secret';
    const subRes = await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${base}/deleted`, events: ['item_deleted'], secret }),
    });
    assert.equal(subRes.status, 201);
    const item = [...fake.ctx.state.items.values()].find((i) => i.boardId === boardId && i.state === 'active')!;
    const del = await fetch(`${fake.url}/_sandbox/items/${item.id}`, { method: 'DELETE' });
    assert.equal(del.status, 200);
    const [hit] = await waitFor(1, '/deleted');
    assert.equal(hit!.body.event.type, 'delete_pulse');
    assert.equal(String(hit!.body.event.itemId), item.id);
    const { payload } = await jwtVerify(hit!.authorization!, new TextEncoder().encode(secret), { audience: `${base}/deleted` });
    assert.equal(payload.accountId, fake.ctx.state.accountId);
  });

  test('UI edits fire update_name and update_column_value', async () => {
    await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${base}/ui`, events: ['change_name', 'change_column_value'], secret: 's' }),
    });
    const item = [...fake.ctx.state.items.values()].find((i) => i.boardId === boardId && i.state === 'active')!;
    const res = await fetch(`${fake.url}/_sandbox/items/${item.id}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed in UI', column_values: { company: 'UI Co' } }),
    });
    assert.equal(res.status, 200);
    const hits = await waitFor(2, '/ui');
    assert.deepEqual(hits.map((h) => h.body.event.type).sort(), ['update_column_value', 'update_name']);
    const change = hits.find((h) => h.body.event.type === 'update_column_value')!.body.event;
    assert.deepEqual(change.value, { value: 'UI Co' });
  });

  test('the challenge control route probes any receiver', async () => {
    const res = await fetch(`${fake.url}/_sandbox/webhooks/challenge`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `${base}/any` }),
    });
    const body = await res.json() as { ok: boolean };
    assert.equal(body.ok, true);
  });
});
