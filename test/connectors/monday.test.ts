import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startMonday } from '../../sandbox/monday/index.ts';
import { startReceiver } from '../../sandbox/core/test-receiver.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { connector } from '../../src/connectors/monday/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import type { ChangePage, ConnectorContext, ModelSpec, RecordChange, UpsertInput } from '../../src/connectors/types.ts';
import type { MondayBoard, MondayItem } from '../../src/connectors/monday/normalise.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { monday as mondayScheme } from '../../src/webhooks/schemes/verify-monday.ts';

/**
 * The monday.com connector against the Monday fake over real HTTP: items
 * list across pages with typed cells, writes go out as aliased mutations
 * of at most 25, deletes, boards, and a signed delivery becomes changes.
 */
const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const fake = await startMonday();
after(() => fake.close());

const items = connector.models.items as ModelSpec<MondayItem>;
const boards = connector.models.boards as ModelSpec<MondayBoard>;

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${fake.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/**
 * A fresh account with a "Leads" board and a fresh client. The catalog's
 * only limit that applies to every call is the 1,000-a-day call quota, whose
 * bucket refills one call per 86 s after a 30-call burst; the limiter is
 * off here so the suite does not wait on it (see the report on the catalog).
 */
async function setup(generate: { boards?: number; items: number }): Promise<{ ctx: ConnectorContext; boardId: string }> {
  await control('POST', '/_sandbox/reset');
  await control('POST', '/_sandbox/seed', { generate });
  const state = await control('GET', '/_sandbox/state');
  const boardId = String(state.boards.find((b: { name: string }) => b.name === 'Leads').id);
  const client = new ProviderClient({
    profile: profileFromCatalog(catalog.get('monday')!, { authMode: 'api_key', connectionConfig: { baseUrl: `${fake.url}/v2` } }),
    connectionId: 'conn_monday_test',
    tokens: staticToken(fake.credentials.apiToken!),
    rateLimit: false,
  });
  const ctx: ConnectorContext = {
    client, connection: { id: 'conn_monday_test', tenantId: 'ten_test', provider: 'monday', config: {} }, params: { boardId }, log: pino({ level: 'silent' }),
  };
  return { ctx, boardId };
}

async function readAll<T>(model: ModelSpec<T>, ctx: ConnectorContext, pageSize?: number, since?: string): Promise<{ pages: ChangePage<T>[]; records: RecordChange<T>[]; watermark: string }> {
  const pages: ChangePage<T>[] = [];
  let cursor: string | null = null;
  do {
    const page: ChangePage<T> = await model.list(ctx, { cursor, ...(pageSize ? { pageSize } : {}), ...(since ? { since } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  const watermark = pages.at(-1)?.watermark;
  assert.ok(typeof watermark === 'string');
  return { pages, records: pages.flatMap((p) => p.records), watermark };
}

async function graphqlRequests(): Promise<{ query: string; variables: Record<string, unknown> }[]> {
  return (await control('GET', '/_sandbox/requests?method=POST&pathPrefix=/v2')).requests.map((r: { body: unknown }) => r.body);
}

describe('monday items', () => {
  test('a full list walks items_page then next_items_page with typed cells', async () => {
    const { ctx, boardId } = await setup({ items: 230 });
    const { pages, records } = await readAll(items, ctx, 100);
    assert.equal(pages.length, 3);
    assert.equal(new Set(records.map((r) => r.id)).size, 230);
    const item = records[0]!.record;
    assert.equal(item.boardId, boardId);
    assert.ok(item.group && typeof item.group.title === 'string');
    const c = item.columns;
    assert.equal(c.email!.type, 'email');
    assert.match((c.email as { email: string }).email, /@example\.com$/);
    assert.equal((c.phone as { countryShortName: string }).countryShortName, 'US');
    assert.ok(['New', 'Qualified', 'Lost', 'Contacted'].includes((c.status as { label: string }).label));
    assert.equal(typeof (c.status as { index: number }).index, 'number');
    assert.ok((c.owner as { personIds: number[] }).personIds.every((id) => Number.isInteger(id)));
    assert.equal(c.company!.type, 'text');
    for (const r of records) assert.equal(r.modifiedAt, Date.parse(r.record.updated_at!));
    const queries = (await graphqlRequests()).map((b) => b.query);
    assert.match(queries[0]!, /items_page\(limit: \$limit\)/);
    assert.ok(queries.slice(1).every((q) => q.includes('next_items_page')));
  });

  test('not incremental: a later list is whole, and only the changed item is newer than the watermark', async () => {
    const { ctx } = await setup({ items: 40 });
    assert.equal(items.incremental, false);
    const first = await readAll(items, ctx);
    const target = first.records[7]!;
    await control('PATCH', `/_sandbox/items/${target.id}`, { column_values: { status: { label: 'Lost' }, company: 'Changed Inc' } });
    const second = await readAll(items, ctx, undefined, first.watermark);
    assert.equal(second.records.length, 40, 'since is ignored: the engine diffs the full read');
    const newer = second.records.filter((r) => r.modifiedAt >= Date.parse(first.watermark));
    assert.deepEqual(newer.map((r) => r.id), [target.id]);
    assert.equal((newer[0]!.record.columns.company as { text: string }).text, 'Changed Inc');
  });

  test('upserts go out as aliased mutations of at most 25, matched by email, with per-input results', async () => {
    const { ctx } = await setup({ items: 30 });
    const existing = (await readAll(items, ctx)).records.map((r) => r.record);
    const updates: UpsertInput<any>[] = existing.slice(0, 20).map((it) => ({
      id: it.id, record: { ...it, name: `Renamed ${it.id}`, columns: { ...it.columns, status: { ...it.columns.status!, label: 'Qualified' } } },
    }));
    const creates: UpsertInput<any>[] = Array.from({ length: 30 }, (_, i) => ({
      record: { name: `New lead ${i}`, columns: { email: { email: `new${i}@example.org` }, phone: { phone: '+15551234567', countryShortName: 'US' }, status: { label: 'New' }, deal_value: { number: i } } },
    }));
    const matched: UpsertInput<any>[] = [
      ...existing.slice(20, 25).map((it) => ({ matchField: 'email', record: { name: it.name, columns: { email: { email: (it.columns.email as { email: string }).email.toUpperCase() }, company: { text: 'Matched Co' } } } })),
      ...Array.from({ length: 5 }, (_, i) => ({ matchField: 'email', record: { name: `Unmatched ${i}`, column_values: { email: { email: `nomatch${i}@example.org`, text: 'x' } } } })),
    ];
    const bad: UpsertInput<any> = { record: { name: 'Bad status', columns: { status: { label: 'No such label' } } } };
    const inputs = [...updates, ...creates, ...matched, bad];
    const results = await items.upsert!(ctx, inputs);
    assert.equal(results.length, 61);
    const failed = results.map((r, i) => ({ r, i })).filter(({ r }) => !r.ok);
    assert.deepEqual(failed.map(({ i }) => i), [60], JSON.stringify(failed));
    assert.equal((results[60] as { retryable: boolean }).retryable, false);
    assert.deepEqual(results.slice(0, 20).map((r) => r.ok && r.id), updates.map((u) => u.id));
    assert.ok(results.slice(20, 50).every((r) => r.ok && r.created));
    assert.deepEqual(results.slice(50, 55).map((r) => r.ok && !r.created && r.id), existing.slice(20, 25).map((it) => it.id), 'matched by email, case-insensitively');
    assert.ok(results.slice(55, 60).every((r) => r.ok && r.created));

    const renamed = await items.get(ctx, updates[3]!.id!);
    assert.equal(renamed?.record.name, `Renamed ${updates[3]!.id}`);
    assert.equal((renamed?.record.columns.status as { label: string }).label, 'Qualified');
    const made = await items.get(ctx, (results[25] as { id: string }).id);
    assert.deepEqual(made?.record.columns.phone, { type: 'phone', text: '+15551234567', phone: '+15551234567', countryShortName: 'US' });
    assert.equal((made?.record.columns.deal_value as { number: number }).number, 5);
    const matchedItem = await items.get(ctx, existing[22]!.id);
    assert.equal((matchedItem?.record.columns.company as { text: string }).text, 'Matched Co');

    const mutations = (await graphqlRequests()).filter((b) => b.query.startsWith('mutation'));
    const sizes = mutations.map((m) => (m.query.match(/\bm\d+: /g) ?? []).length);
    assert.deepEqual(sizes, [25, 25, 11]);
    const lookups = (await graphqlRequests()).filter((b) => b.query.includes('query_params'));
    assert.equal(lookups.length, 1, 'all emails in one any_of lookup');
  });

  test('a listed item written back unchanged succeeds; computed cells are not sent', async () => {
    const { ctx } = await setup({ items: 3 });
    const [listed] = (await readAll(items, ctx)).records;
    const record = { ...listed!.record, columns: { ...listed!.record.columns, total: { type: 'formula', text: '42', value: null } } };
    const [result] = await items.upsert!(ctx, [{ id: listed!.id, record } as UpsertInput<any>]);
    assert.deepEqual(result && result.ok && result.id, listed!.id, JSON.stringify(result));
    const sent = JSON.parse(String((await graphqlRequests()).at(-1)!.variables.v0));
    assert.ok(!('total' in sent), 'the formula cell stays out of column_values');
    assert.deepEqual((await items.get(ctx, listed!.id))?.record.columns, listed!.record.columns);
  });

  test('delete removes items in aliased batches; deleting again still succeeds', async () => {
    const { ctx } = await setup({ items: 40 });
    const ids = (await readAll(items, ctx)).records.map((r) => r.id).slice(0, 30);
    const results = await items.delete!(ctx, ids);
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
    assert.equal((await readAll(items, ctx)).records.length, 10);
    assert.equal(await items.get(ctx, ids[0]!), undefined);
    assert.ok((await items.delete!(ctx, ids.slice(0, 2))).every((r) => r.ok));
    const deletes = (await graphqlRequests()).filter((b) => b.query.includes('delete_item'));
    assert.deepEqual(deletes.map((m) => (m.query.match(/\bd\d+: /g) ?? []).length), [25, 5, 2]);
  });

  test('a signed delivery becomes an item change with its board, and deletion is flagged', async () => {
    const { ctx, boardId } = await setup({ items: 5 });
    const receiver = await startReceiver();
    const secret = 'monday-test-signing-secret';
    try {
      await control('POST', '/_sandbox/webhooks/subscriptions', { url: receiver.url, events: [], secret });
      const [target] = (await readAll(items, ctx)).records;
      await control('PATCH', `/_sandbox/items/${target!.id}`, { name: 'Renamed by a person' });
      const [delivery] = await receiver.waitFor(1);
      const headers = Object.fromEntries(Object.entries(delivery!.headers).map(([k, v]) => [k, String(v)]));
      const req = { rawBody: Buffer.from(delivery!.body), headers, method: 'POST', url: receiver.url };
      assert.deepEqual(await mondayScheme.verify(req, { secrets: [secret], options: {}, now: Date.now() }), { ok: true });
      const changes = connector.fromWebhook!({ provider: 'monday', type: mondayScheme.describe(req, undefined).type, body: JSON.parse(delivery!.body), headers });
      assert.deepEqual(changes, [{ model: 'items', id: target!.id, params: { boardId } }]);
      const got = await items.get({ ...ctx, params: changes[0]!.params! }, changes[0]!.id);
      assert.equal(got?.record.name, 'Renamed by a person');

      await control('DELETE', `/_sandbox/items/${target!.id}`);
      const [, deletion] = await receiver.waitFor(2);
      const gone = connector.fromWebhook!({ provider: 'monday', type: 'delete_pulse', body: JSON.parse(deletion!.body), headers: {} });
      assert.deepEqual(gone, [{ model: 'items', id: target!.id, params: { boardId }, deleted: true }]);
      assert.deepEqual(connector.fromWebhook!({ provider: 'monday', type: 'unknown', body: { challenge: 'abc' }, headers: {} }), []);
    } finally {
      await receiver.close();
    }
  });
});

describe('monday items under faults', () => {
  test('a list completes under 20% 5xx and a 429 burst (the client retries)', async () => {
    const { ctx } = await setup({ items: 230 });
    // The burst first, on its own: a 429 spends an attempt, and sharing the
    // five attempts with 20% 5xx would make the outcome depend on luck.
    await control('PUT', '/_sandbox/faults', { burst429: 2 });
    assert.equal(new Set((await readAll(items, ctx, 50)).records.map((r) => r.id)).size, 230);
    await control('PUT', '/_sandbox/faults', { errorRate: 0.2 });
    const { records } = await readAll(items, ctx, 50);
    assert.equal(new Set(records.map((r) => r.id)).size, 230);
    const log = (await control('GET', '/_sandbox/requests')).requests as { status: number }[];
    assert.equal(log.filter((r) => r.status === 429).length, 2);
    assert.ok(log.some((r) => r.status === 503), 'some answers were injected 5xx');
    await control('PUT', '/_sandbox/faults', {});
  });
});

describe('monday boards', () => {
  test('boards list page by page with columns and groups, and get one', async () => {
    const { ctx, boardId } = await setup({ boards: 3, items: 2 });
    assert.equal(boards.upsert, undefined, 'read-only');
    const { pages, records } = await readAll(boards, ctx, 2);
    assert.equal(pages.length, 2);
    assert.equal(records.length, 3);
    const leads = records.find((r) => r.id === boardId)!.record;
    assert.equal(leads.name, 'Leads');
    assert.ok(leads.columns.some((c) => c.id === 'email' && c.type === 'email'));
    assert.ok(leads.groups.length >= 1);
    assert.equal((await boards.get(ctx, boardId))?.record.name, 'Leads');
    assert.equal(await boards.get(ctx, '999999999'), undefined);
  });
});
