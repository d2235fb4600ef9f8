import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import { connector } from '../../src/connectors/stripe/index.ts';
import type { ChangePage, ConnectorContext, ListOptions, ModelSpec, RecordChange } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { stripe as stripeScheme } from '../../src/webhooks/schemes/verify-stripe.ts';
import { SANDBOX_WEBHOOK_SECRET, startStripe } from '../../sandbox/stripe/index.ts';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';

const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const events = connector.models.events as ModelSpec;
const customers = connector.models.customers as ModelSpec;

let fake: Awaited<ReturnType<typeof startStripe>>;
let client: ProviderClient;
let receiver: Receiver;

const ctx = (): ConnectorContext => ({ client, connection: { id: 'conn_stripe', tenantId: 't1', provider: 'stripe', config: { baseUrl: fake.url } }, params: {}, log: pino({ level: 'silent' }) });

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(fake.url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  return res.json();
}

async function readAll(model: ModelSpec, opts: ListOptions = {}) {
  const records: RecordChange[] = [];
  const deletedIds: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let last: ChangePage | undefined;
  do {
    last = await model.list(ctx(), { ...opts, cursor });
    records.push(...last.records);
    deletedIds.push(...last.deletedIds);
    cursor = last.nextCursor;
    pages += 1;
  } while (cursor);
  return { records, deletedIds, pages, watermark: last.watermark };
}

before(async () => {
  fake = await startStripe({ seed: { generate: { customers: 150, updates: 40 } } });
  client = new ProviderClient({
    profile: profileFromCatalog(catalog.get('stripe')!, { authMode: 'api_key', connectionConfig: { baseUrl: fake.url } }),
    connectionId: 'conn_stripe', tokens: staticToken(fake.credentials.secretKey!),
  });
  receiver = await startReceiver();
  await control('POST', '/_sandbox/webhooks/subscriptions', { url: receiver.url, secret: SANDBOX_WEBHOOK_SECRET });
});

after(async () => {
  await receiver.close();
  await fake.close();
});

test('events: a full read pages with starting_after through the whole feed, newest first', async () => {
  const state = await control('GET', '/_sandbox/state');
  const { records, pages, watermark } = await readAll(events, { pageSize: 40 });
  assert.equal(records.length, state.events);
  assert.ok(pages >= 5, `${pages} pages`);
  assert.equal(new Set(records.map((r) => r.id)).size, records.length);
  assert.equal(watermark, records[0]!.record.createdAt, 'the newest event is the watermark');
  const first = records[0]!.record as { type: string; objectType: string; objectId: string };
  assert.match(first.type, /^customer\./);
  assert.equal(first.objectType, 'customer');
  const log = await control('GET', '/_sandbox/requests?pathPrefix=/v1/events');
  assert.ok(log.requests.slice(1).every((r: { query: Record<string, unknown> }) => typeof r.query.starting_after === 'string'));
});

test('events: an incremental read since the watermark returns the new event (created[gte], repeats only at the watermark second)', async () => {
  const { watermark } = await readAll(events);
  const made = await control('POST', '/_sandbox/stripe/customers', { name: 'Inc Rement', email: 'inc@example.com' });
  const again = await readAll(events, { since: watermark! });
  const createdAt = (r: RecordChange) => (r.record as { createdAt: string }).createdAt;
  assert.deepEqual(again.records.filter((r) => createdAt(r) > watermark!).map((r) => r.id), [made.event], 'exactly the new event is newer than the watermark');
  assert.ok(again.records.every((r) => createdAt(r) >= watermark!), 'only the watermark second repeats');
  assert.equal(again.watermark, createdAt(again.records[0]!));
  const log = await control('GET', '/_sandbox/requests?pathPrefix=/v1/events');
  assert.equal(log.requests.at(-1).query['created[gte]'], String(Date.parse(watermark!) / 1000));
});

test('customers: a full read pages through every customer', async () => {
  const { records, pages, watermark } = await readAll(customers, { pageSize: 40 });
  assert.ok(records.length >= 150);
  assert.ok(pages >= 4);
  assert.equal(new Set(records.map((r) => r.id)).size, records.length);
  assert.ok(watermark, 'the newest event time at the start of the read');
  assert.ok(records.every((r) => typeof (r.record as { createdAt: string }).createdAt === 'string'));
});

test('customers: an incremental read goes through customer.* events: updates, creations and deletions', async () => {
  const full = await readAll(customers);
  const [a, b] = full.records;
  await control('POST', `/_sandbox/stripe/customers/${a!.id}`, { name: 'Changed Name' });
  await control('POST', `/_sandbox/stripe/customers/${a!.id}`, { description: 'second edit' });
  await control('DELETE', `/_sandbox/stripe/customers/${b!.id}`);
  const inc = await readAll(customers, { since: full.watermark! });
  const changed = inc.records.find((r) => r.id === a!.id);
  assert.ok(changed, 'the updated customer is read');
  assert.equal((changed.record as { name: string }).name, 'Changed Name');
  assert.equal((changed.record as { description: string }).description, 'second edit', 'the newest snapshot wins');
  assert.deepEqual(inc.deletedIds, [b!.id]);
  assert.ok(!inc.records.some((r) => r.id === b!.id));
  assert.ok(inc.watermark! >= full.watermark!);
  assert.equal(inc.pages, 1);
});

test('customers: upserts go one call each; creates carry an idempotency key so a repeat replays the first answer', async () => {
  await control('DELETE', '/_sandbox/requests');
  const results = await customers.upsert!(ctx(), [
    { record: { email: 'new1@example.com', name: 'New One', metadata: { source: 'switchyard' } } },
    { record: { email: 'new2@example.com', name: 'New Two' } },
    { matchField: 'email', record: { email: 'new1@example.com', phone: '+1 555 0100' } },
    { matchField: 'name', record: { name: 'x' } },
  ]);
  assert.ok(results.length > customers.batchLimit);
  const [one, two, matched, bad] = results;
  assert.ok(one!.ok && one!.created && two!.ok && two!.created);
  assert.deepEqual(matched, { ok: true, id: one!.ok ? one!.id : '', created: false });
  assert.equal(bad!.ok, false);
  const got = await customers.get(ctx(), one!.ok ? one!.id : '');
  assert.deepEqual({ ...(got!.record as object), createdAt: undefined }, {
    id: one!.ok && one!.id, email: 'new1@example.com', name: 'New One', phone: '+1 555 0100', description: null, balance: 0, currency: null, metadata: { source: 'switchyard' }, createdAt: undefined,
  });
  const [replay] = await customers.upsert!(ctx(), [{ record: { email: 'new2@example.com', name: 'New Two' } }]);
  assert.deepEqual(replay, two, 'same record, same key: Stripe replays the first create');
  const log = await control('GET', '/_sandbox/requests?method=POST&pathPrefix=/v1/customers');
  assert.deepEqual(log.requests.map((r: { path: string }) => r.path.replace(/cus_\w+/, ':id')), ['/v1/customers', '/v1/customers', '/v1/customers/:id', '/v1/customers']);
});

test('customers: delete, then a second delete of the same id is fine', async () => {
  const [made] = await customers.upsert!(ctx(), [{ record: { email: 'gone@example.com' } }]);
  const id = made!.ok ? made!.id : '';
  assert.deepEqual(await customers.delete!(ctx(), [id, id]), [{ id, ok: true }, { id, ok: true }]);
  assert.equal(await customers.get(ctx(), id), undefined);
});

test('fromWebhook: a signed customer.updated delivery names the event and the customer', async () => {
  const { records } = await readAll(customers, { pageSize: 10 });
  const target = records[3]!.id;
  const before = receiver.received.length;
  await control('POST', `/_sandbox/stripe/customers/${target}`, { name: 'From Webhook' });
  const [delivery] = (await receiver.waitFor(before + 1)).slice(before);
  const headers = Object.fromEntries(Object.entries(delivery!.headers).map(([k, v]) => [k, String(v)]));
  const req = { rawBody: Buffer.from(delivery!.body), headers, method: 'POST', url: 'https://hub.example.com/hook' };
  assert.deepEqual(await stripeScheme.verify(req, { secrets: [SANDBOX_WEBHOOK_SECRET], options: {}, now: Date.now() }), { ok: true });
  const body = JSON.parse(delivery!.body) as { id: string };
  const changes = connector.fromWebhook!({ provider: 'stripe', type: stripeScheme.describe(req, body, {}).type, body, headers });
  assert.deepEqual(changes, [{ model: 'events', id: body.id }, { model: 'customers', id: target }]);
  assert.equal(((await customers.get(ctx(), target))!.record as { name: string }).name, 'From Webhook');
  assert.equal(((await events.get(ctx(), body.id))!.record as { type: string }).type, 'customer.updated');
});

test('events: a 429 burst and 20% 5xx still end in a complete read', async () => {
  const expected = (await readAll(events)).records.length;
  // Apart: a 429 spends one of the client's five attempts, so both at once would leave completion to chance.
  for (const faults of [{ burst429: 3 }, { errorRate: 0.2, errorStatus: 503 }]) {
    await control('PUT', '/_sandbox/faults', faults);
    const { records } = await readAll(events, { pageSize: 25 });
    await control('PUT', '/_sandbox/faults', {});
    assert.equal(records.length, expected, JSON.stringify(faults));
  }
  const log = await control('GET', '/_sandbox/requests?method=GET');
  assert.ok(log.requests.some((r: { status: number }) => r.status === 429));
  assert.ok(log.requests.some((r: { status: number }) => r.status === 503));
});
