import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import { connector } from '../../src/connectors/salesforce/index.ts';
import type { ChangePage, ConnectorContext, ModelSpec } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';
import { ACK } from '../../sandbox/salesforce/outbound-messages.ts';
import { startSalesforce } from '../../sandbox/salesforce/index.ts';

/**
 * The Salesforce connector against the sandbox fake over real HTTP: every
 * model lists across pages, reads incrementally, writes in batches (and in
 * bulk past the threshold), deletes, and turns a real outbound message into
 * changes.
 */
const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const fake = await startSalesforce();
const log = pino({ level: 'silent' });
let receiver: Receiver;

function context(params: Record<string, unknown> = {}): ConnectorContext {
  const entry = catalog.get('salesforce')!;
  const connectionConfig = { instanceUrl: fake.url, apiVersion: '66.0' };
  const client = new ProviderClient({ profile: profileFromCatalog(entry, { authMode: 'oauth2', connectionConfig }), connectionId: 'conn_sf_test', tokens: staticToken(fake.credentials.accessToken!) });
  return { client, connection: { id: 'conn_sf_test', tenantId: 'ten_test', provider: 'salesforce', config: connectionConfig }, params, log };
}

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${fake.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

async function requests(method: string, pathPrefix: string): Promise<Array<{ path: string; query: Record<string, string>; body: unknown }>> {
  return (await control('GET', `/_sandbox/requests?method=${method}&pathPrefix=${encodeURIComponent(pathPrefix)}`)).requests;
}

async function readAll(model: ModelSpec, ctx: ConnectorContext, since: string | null, pageSize?: number): Promise<{ pages: ChangePage[]; ids: string[]; deleted: string[]; watermark: string | null | undefined }> {
  const pages: ChangePage[] = [];
  let cursor: string | null = null;
  do {
    const page: ChangePage = await model.list(ctx, { since, cursor, ...(pageSize ? { pageSize } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return { pages, ids: pages.flatMap((p) => p.records.map((r) => r.id)), deleted: pages.flatMap((p) => p.deletedIds), watermark: pages.at(-1)!.watermark };
}

interface Case { model: string; object: string; params: Record<string, unknown>; seedKey: string; newRecord: (i: number) => Record<string, unknown>; edit: Record<string, unknown>; editField: string }

const CASES: Case[] = [
  { model: 'Account', object: 'Account', params: {}, seedKey: 'accounts', newRecord: (i) => ({ Name: `Batch Account ${i}` }), edit: { Name: 'Renamed Account' }, editField: 'Name' },
  { model: 'Lead', object: 'Lead', params: {}, seedKey: 'Lead', newRecord: (i) => ({ LastName: `Batch ${i}`, Company: 'Batch Co', Email: `batch${i}@example.com` }), edit: { Title: 'CTO' }, editField: 'Title' },
  { model: 'Contact', object: 'Contact', params: {}, seedKey: 'contacts', newRecord: (i) => ({ LastName: `Contact ${i}` }), edit: { Title: 'Buyer' }, editField: 'Title' },
  { model: 'Opportunity', object: 'Opportunity', params: {}, seedKey: 'opportunities', newRecord: (i) => ({ Name: `Deal ${i}`, StageName: 'Prospecting', CloseDate: '2025-06-30' }), edit: { Amount: 1234 }, editField: 'Amount' },
  { model: 'sobject', object: 'Foo__c', params: { object: 'Foo__c' }, seedKey: 'foos', newRecord: (i) => ({ Name: `Foo batch ${i}`, Amount__c: i }), edit: { Bar__c: 'changed' }, editField: 'Bar__c' },
];

before(async () => {
  receiver = await startReceiver({ respond: () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: ACK }) });
});

after(async () => {
  await receiver.close();
  await fake.close();
});

beforeEach(async () => {
  await control('POST', '/_sandbox/reset');
  await control('POST', '/_sandbox/seed', { generate: { accounts: 450, Lead: 450, contacts: 450, opportunities: 450, foos: 450 } });
});

for (const c of CASES) {
  describe(`${c.model}${c.model === 'sobject' ? ` (${c.object})` : ''}`, () => {
    const model = connector.models[c.model]!;

    test('full list across several pages, then an incremental read returns exactly the changed record and the deleted id', async () => {
      const ctx = context(c.params);
      await control('DELETE', '/_sandbox/requests');
      const full = await readAll(model, ctx, null, 200);
      assert.equal(full.pages.length, 3, 'three pages of at most 200');
      assert.equal(new Set(full.ids).size, 450);
      assert.ok(full.pages.slice(0, -1).every((p) => p.watermark === undefined), 'only the last page carries the watermark');
      assert.ok(full.watermark);
      const queries = await requests('GET', '/services/data/v66.0/query');
      assert.equal(queries.length, 3);
      assert.match(queries[0]!.query.q!, new RegExp(`FROM ${c.object} ORDER BY SystemModstamp ASC`));
      const sample = full.pages[0]!.records[0]!;
      assert.equal(typeof sample.record.id, 'string');
      assert.equal(sample.record.attributes, undefined);
      assert.match(String(sample.record.SystemModstamp), /Z$/, 'datetimes normalised to ISO');
      assert.equal(sample.modifiedAt, Date.parse(String(sample.record.SystemModstamp)));

      const [changed, removed] = [full.ids[10]!, full.ids[20]!];
      await control('PATCH', `/_sandbox/salesforce/records/${c.object}/${changed}`, c.edit);
      await control('DELETE', `/_sandbox/salesforce/records/${c.object}/${removed}`);
      const inc = await readAll(model, ctx, full.watermark!);
      assert.deepEqual(inc.ids, [changed]);
      assert.equal(inc.pages[0]!.records[0]!.record[c.editField], Object.values(c.edit)[0]);
      assert.deepEqual(inc.deleted, [removed]);
      assert.match(String((await requests('GET', '/services/data/v66.0/queryAll')).at(-1)?.query.q), /IsDeleted = true/);

      const again = await readAll(model, ctx, inc.watermark!);
      assert.deepEqual(again.ids, [], 'nothing changed since the last watermark');
    });

    test('upsert of a batch larger than 200 goes out in collection calls, one bad record fails alone', async () => {
      const ctx = context(c.params);
      await control('DELETE', '/_sandbox/requests');
      const before = (await control('GET', '/_sandbox/state')).records[c.object];
      const inputs = Array.from({ length: 250 }, (_, i) => ({ record: c.newRecord(i) }));
      inputs[7] = { record: { ...c.newRecord(7), NoSuchField__c: 'x' } };
      const results = await model.upsert!(ctx, inputs);
      assert.equal(results.length, 250);
      assert.equal(results.filter((r) => r.ok).length, 249);
      const bad = results[7]!;
      assert.ok(!bad.ok && /INVALID_FIELD|No such column/.test(bad.error) && !bad.retryable, JSON.stringify(bad));
      assert.ok(results.every((r, i) => i === 7 || (r.ok && r.created)));
      const posts = await requests('POST', '/services/data/v66.0/composite/sobjects');
      assert.deepEqual(posts.map((p) => (p.body as { records: unknown[] }).records.length), [200, 50]);
      assert.ok(posts.every((p) => (p.body as { allOrNone: boolean }).allOrNone === false));
      assert.equal((await control('GET', '/_sandbox/state')).records[c.object], before + 249);

      const first = results[0]! as { id: string };
      const updated = await model.upsert!(ctx, [{ id: first.id, record: c.edit }]);
      assert.deepEqual(updated, [{ ok: true, id: first.id, created: false }]);
      const got = await model.get(ctx, first.id);
      assert.equal(got?.record[c.editField], Object.values(c.edit)[0]);
    });

    test('delete removes the records and get no longer finds them', async () => {
      const ctx = context(c.params);
      const { ids } = await readAll(model, ctx, null);
      const doomed = ids.slice(0, 3);
      const results = await model.delete!(ctx, [...doomed, '001000000000000AAA']);
      assert.deepEqual(results.slice(0, 3), doomed.map((id) => ({ id, ok: true })));
      assert.equal(results[3]!.ok, false, 'an id that does not exist fails on its own');
      for (const id of doomed) assert.equal(await model.get(ctx, id), undefined);
      const otherModel = c.object === 'Lead' ? connector.models.Account! : connector.models.Lead!;
      const other = (await otherModel.list(context(), {})).records[0]!.id;
      const [refused] = await model.delete!(ctx, [other]);
      assert.ok(refused && !refused.ok && /is not a/.test(refused.error), 'an id of another object is refused');
      assert.ok(await otherModel.get(context(), other), 'and that record is still there');
      const again = await model.delete!(ctx, [doomed[0]!]);
      assert.deepEqual(again, [{ id: doomed[0], ok: true }], 'deleting an already deleted record is not an error');
    });
  });
}

describe('writes by match field and in bulk', () => {
  test('matchField updates the record with that value and creates the rest; duplicates fail alone', async () => {
    const ctx = context();
    const lead = connector.models.Lead!;
    const existing = (await lead.list(ctx, {})).records.slice(0, 2).map((r) => r.record);
    await control('POST', '/_sandbox/salesforce/records/Lead', { LastName: 'Twin', Company: 'X', Email: 'twin@example.com' });
    await control('POST', '/_sandbox/salesforce/records/Lead', { LastName: 'Twin', Company: 'Y', Email: 'twin@example.com' });
    const results = await lead.upsert!(ctx, [
      { matchField: 'Email', record: { Email: String(existing[0]!.Email).toUpperCase(), LastName: 'Matched', Company: 'C' } },
      { matchField: 'Email', record: { Email: 'brand.new@example.com', LastName: 'New', Company: 'C' } },
      { matchField: 'Email', record: { Email: 'twin@example.com', LastName: 'Ambiguous', Company: 'C' } },
      { matchField: 'Email', record: { ...existing[1]!, Title: 'Round trip of a listed record' } },
    ]);
    assert.deepEqual(results[0], { ok: true, id: existing[0]!.id, created: false });
    assert.ok(results[1]!.ok && results[1]!.created);
    assert.ok(!results[2]!.ok && /matches 2/.test(results[2]!.error));
    assert.deepEqual(results[3], { ok: true, id: existing[1]!.id, created: false }, 'read-only fields of a listed record are dropped, not sent');
    assert.equal((await lead.get(ctx, existing[0]!.id))?.record.LastName, 'Matched');
  });

  test('past params.bulkThreshold a write goes through a Bulk API 2.0 ingest job with per-record results', async () => {
    const ctx = context({ bulkThreshold: 50, bulkPollMs: 20 });
    const account = connector.models.Account!;
    await control('DELETE', '/_sandbox/requests');
    const inputs = Array.from({ length: 120 }, (_, i) => ({ record: { Name: `Bulk, "quoted" ${i}`, Description: i % 2 ? null : `line ${i}` } }));
    inputs[5] = { record: { Name: 'bad', NumberOfEmployees: 'many' } as never };
    const results = await account.upsert!(ctx, inputs);
    assert.equal(results.filter((r) => r.ok && r.created).length, 119);
    assert.ok(!results[5]!.ok, 'the bad row fails on its own');
    const jobs = await requests('POST', '/services/data/v66.0/jobs/ingest');
    assert.equal(jobs.length, 1);
    assert.deepEqual((jobs[0]!.body as { operation: string }).operation, 'insert');
    assert.equal((await requests('POST', '/services/data/v66.0/composite/sobjects')).length, 0);
    const sample = results[9]! as { id: string };
    assert.equal((await account.get(ctx, sample.id))?.record.Name, 'Bulk, "quoted" 9', 'result ids line up with inputs');

    const ids = results.filter((r): r is { ok: true; id: string; created: boolean } => r.ok).map((r) => r.id);
    const updates = await account.upsert!(ctx, ids.map((id, i) => ({ id, record: { Industry: i % 2 ? 'Retail' : 'Energy' } })));
    assert.ok(updates.every((r) => r.ok && !r.created));
    assert.equal((await requests('POST', '/services/data/v66.0/jobs/ingest')).length, 2);
    assert.equal((await account.get(ctx, ids[3]!))?.record.Industry, 'Retail');
  });
});

describe('outbound messages', () => {
  test('a real outbound message becomes changes that get() can read', async () => {
    await control('POST', '/_sandbox/webhooks/subscriptions', { url: receiver.url, events: [] });
    receiver.received.length = 0;
    const lead = await control('POST', '/_sandbox/salesforce/records/Lead', { LastName: 'Hook', Company: 'Outbound Inc' });
    const foo = await control('POST', '/_sandbox/salesforce/records/Foo__c', { Name: 'Custom hook' });
    const got = await receiver.waitFor(2);
    const changes = got.flatMap((r) => connector.fromWebhook!({
      provider: 'salesforce', type: `salesforce.outbound.${/xsi:type="sf:(\w+)"/.exec(r.body)![1]}`, body: r.body,
      headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])),
    }));
    assert.deepEqual(changes, [{ model: 'Lead', id: lead.Id }, { model: 'sobject', id: foo.Id, params: { object: 'Foo__c' } }]);
    const readLead = await connector.models.Lead!.get(context(), changes[0]!.id);
    assert.equal(readLead?.record.Company, 'Outbound Inc');
    const readFoo = await connector.models.sobject!.get(context(changes[1]!.params!), changes[1]!.id);
    assert.equal(readFoo?.record.Name, 'Custom hook');
  });
});

describe('faults', () => {
  test('a burst of REQUEST_LIMIT_EXCEEDED and 20% 5xx still complete a full list', async () => {
    const ctx = context();
    await control('PUT', '/_sandbox/faults', { burst429: 3, errorRate: 0.2, errorStatus: 503 });
    const { ids } = await readAll(connector.models.Lead!, ctx, null, 200);
    assert.equal(new Set(ids).size, 450);
    const failed = (await control('GET', '/_sandbox/requests')).requests.filter((r: { status: number }) => r.status >= 400);
    assert.ok(failed.length >= 3, `the fake answered ${failed.length} failures that the client retried`);
  });
});
