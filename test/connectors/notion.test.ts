import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import { connector } from '../../src/connectors/notion/index.ts';
import type { NotionRecord } from '../../src/connectors/notion/normalise.ts';
import type { ConnectorContext, ModelSpec, RecordChange } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { notion as notionScheme } from '../../src/webhooks/schemes/verify-notion.ts';
import { startNotion } from '../../sandbox/notion/index.ts';
import { startReceiver, type Received, type Receiver } from '../../sandbox/core/test-receiver.ts';

const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const pages = connector.models.pages as ModelSpec<NotionRecord>;
/** Writes take the normalised shape or a flat property map, not whole records. */
const writer = connector.models.pages as ModelSpec;

let fake: Awaited<ReturnType<typeof startNotion>>;
let client: ProviderClient;
let receiver: Receiver;
let databaseId = '';
let dataSourceId = '';

const ctx = (): ConnectorContext => ({ client, connection: { id: 'conn_notion', tenantId: 't1', provider: 'notion', config: { baseUrl: fake.url } }, params: { databaseId }, log: pino({ level: 'silent' }) });

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(fake.url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

async function readAll(since: string | null, pageSize?: number) {
  const records: RecordChange<NotionRecord>[] = [];
  let cursor: string | null = null;
  let pagesRead = 0;
  let watermark: string | null | undefined;
  do {
    const page = await pages.list(ctx(), { since, cursor, ...(pageSize ? { pageSize } : {}) });
    records.push(...page.records);
    cursor = page.nextCursor;
    watermark = page.watermark;
    pagesRead += 1;
  } while (cursor);
  return { records, pagesRead, watermark };
}

function asEvent(r: Received) {
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
  const body = JSON.parse(r.body) as unknown;
  const req = { rawBody: Buffer.from(r.body), headers, method: 'POST', url: 'https://hub.example.com/hook' };
  return { req, event: { provider: 'notion', type: notionScheme.describe(req, body, {}).type, body, headers } };
}

before(async () => {
  fake = await startNotion({ seed: { generate: { pages: 130 } } });
  const state = await control('GET', '/_sandbox/state');
  databaseId = state.databases[0].id;
  dataSourceId = state.databases[0].dataSourceId;
  client = new ProviderClient({
    profile: profileFromCatalog(catalog.get('notion')!, { authMode: 'api_key', connectionConfig: { baseUrl: fake.url } }),
    connectionId: 'conn_notion', tokens: staticToken(fake.credentials.integrationToken!),
  });
  receiver = await startReceiver();
  await control('POST', '/_sandbox/webhooks/subscriptions', { url: receiver.url, secret: 'secret_verification_token' });
});

after(async () => {
  await receiver.close();
  await fake.close();
});

test('pages: a full read walks every page of the data source query, with plain property values', async () => {
  const { records, pagesRead, watermark } = await readAll(null, 50);
  assert.equal(records.length, 130);
  assert.equal(pagesRead, 3);
  assert.equal(new Set(records.map((r) => r.id)).size, 130);
  const times = records.map((r) => r.record.updatedAt);
  assert.deepEqual([...times].sort(), times, 'ascending by last_edited_time');
  assert.equal(watermark, times.at(-1));
  const p = records[0]!.record.properties;
  assert.equal(typeof p.Name, 'string');
  assert.match(String(p.Email), /@example\.com$/);
  assert.ok(['Lead', 'Qualified', 'Customer'].includes(String(p.Stage)));
  assert.ok(['Not started', 'In progress', 'Done'].includes(String(p.Status)));
  assert.equal(typeof p['Deal value'], 'number');
  assert.equal(typeof p.Subscribed, 'boolean');
  assert.ok(Array.isArray(p.Owner) && p.Owner.length === 1);
  assert.equal(records[0]!.modifiedAt, Date.parse(records[0]!.record.updatedAt));
  const log = await control('GET', `/_sandbox/requests?method=POST&pathPrefix=/v1/data_sources/${dataSourceId}/query`);
  assert.ok(log.count >= 3, 'queries go to the data source (Notion-Version 2025-09-03)');
});

test('pages: an incremental read after an edit returns the edit (and only the overlap at the watermark minute)', async () => {
  const first = await readAll(null);
  const w1 = first.watermark!;
  const target = first.records[10]!;
  await control('PATCH', `/_sandbox/pages/${target.id}`, { properties: { Company: { rich_text: [{ type: 'text', text: { content: 'Edited Inc' } }] } } });
  const second = await readAll(w1);
  assert.ok(second.records.length >= 1);
  const newer = second.records.filter((r) => r.record.updatedAt > w1);
  assert.deepEqual(newer.map((r) => r.id), [target.id]);
  assert.equal(newer[0]!.record.properties.Company, 'Edited Inc');
  assert.ok(second.records.every((r) => r.record.updatedAt >= w1), 'on_or_after: nothing older than the watermark');
  assert.ok(second.watermark! >= w1);
  const log = await control('GET', '/_sandbox/requests?method=POST&pathPrefix=/v1/data_sources/');
  const body = log.requests.at(-1).body;
  assert.deepEqual(body.filter, { timestamp: 'last_edited_time', last_edited_time: { on_or_after: w1 } });
});

test('pages: upserts go one call per record (create, update, matchField) with typed property values', async () => {
  await control('DELETE', '/_sandbox/requests');
  const owner = (await readAll(null)).records[0]!.record.properties.Owner as string[];
  const results = await writer.upsert!(ctx(), [
    { record: { properties: { Name: 'Zed New', Email: 'zed@example.com', Stage: 'Lead', Status: 'Done', 'Deal value': 42, 'Next contact': '2026-03-01', Owner: owner, Subscribed: true, Phone: '+1 555 0000', Company: 'x'.repeat(2500) } } },
    { record: { Name: 'Yan New', Email: 'yan@example.com' } },
    { matchField: 'Email', record: { properties: { Email: 'zed@example.com', Stage: 'Customer' } } },
    { record: { properties: { Nope: 1 } } },
  ]);
  assert.equal(results.length, 4);
  assert.ok(results.length > pages.batchLimit);
  const [zed, yan, matched, bad] = results;
  assert.ok(zed!.ok && zed!.created && yan!.ok && yan!.created);
  assert.deepEqual(matched!.ok && [matched!.id, matched!.created], [zed!.ok && zed!.id, false], 'matchField found the page just created');
  assert.equal(bad!.ok, false);
  const got = await pages.get(ctx(), zed!.ok ? zed!.id : '');
  assert.deepEqual({ ...got!.record.properties, Company: String(got!.record.properties.Company).length }, {
    Name: 'Zed New', Email: 'zed@example.com', Stage: 'Customer', Status: 'Done', 'Deal value': 42, 'Next contact': '2026-03-01',
    Owner: owner, Subscribed: true, Phone: '+1 555 0000', Company: 2500,
  });
  const log = await control('GET', '/_sandbox/requests');
  const writes = log.requests.filter((r: { method: string; path: string }) => r.method !== 'GET' && !r.path.endsWith('/query'));
  assert.deepEqual(writes.map((r: { method: string; path: string }) => `${r.method} ${r.path.replace(/[0-9a-f-]{32,36}/, ':id')}`), ['POST /v1/pages', 'POST /v1/pages', 'PATCH /v1/pages/:id']);
});

test('pages: delete moves the page to the trash; it drops out of reads', async () => {
  const { records } = await readAll(null);
  const victim = records[5]!.id;
  assert.deepEqual(await pages.delete!(ctx(), [victim]), [{ id: victim, ok: true }]);
  const got = await pages.get(ctx(), victim);
  assert.equal(got?.record.inTrash, true);
  const after = await readAll(null);
  assert.equal(after.records.length, records.length - 1);
  assert.ok(!after.records.some((r) => r.id === victim));
});

test('fromWebhook: signed page.properties_updated and page.deleted deliveries become changes', async () => {
  const { records } = await readAll(null);
  const target = records[20]!.id;
  const before = receiver.received.length;
  await control('PATCH', `/_sandbox/pages/${target}`, { properties: { Stage: { select: { name: 'Qualified' } } } });
  await control('DELETE', `/_sandbox/pages/${records[21]!.id}`);
  const got = (await receiver.waitFor(before + 2)).slice(before);
  const verifyCtx = { secrets: ['secret_verification_token'], options: {}, now: Date.now() };
  const changes = [];
  for (const r of got) {
    const { req, event } = asEvent(r);
    assert.deepEqual(await notionScheme.verify(req, verifyCtx), { ok: true });
    changes.push(...connector.fromWebhook!(event));
  }
  assert.deepEqual(changes, [
    { model: 'pages', id: target, params: { databaseId } },
    { model: 'pages', id: records[21]!.id, deleted: true, params: { databaseId } },
  ]);
  const page = await pages.get({ ...ctx(), params: changes[0]!.params! }, changes[0]!.id);
  assert.equal(page?.record.properties.Stage, 'Qualified');
});

test('pages: a 429 burst and 20% 5xx still end in a complete read', async () => {
  const expected = (await readAll(null)).records.length;
  await control('PATCH', '/_sandbox/knobs', { retryAfterSec: 0 });
  // Apart: a 429 spends one of the client's five attempts, so both at once would leave completion to chance.
  for (const faults of [{ burst429: 3 }, { errorRate: 0.2, errorStatus: 503 }]) {
    await control('PUT', '/_sandbox/faults', faults);
    const { records } = await readAll(null, 10);
    await control('PUT', '/_sandbox/faults', {});
    assert.equal(records.length, expected, JSON.stringify(faults));
  }
  const log = await control('GET', '/_sandbox/requests');
  assert.ok(log.requests.some((r: { status: number }) => r.status === 429));
  assert.ok(log.requests.some((r: { status: number }) => r.status === 503));
});
