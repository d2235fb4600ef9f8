import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import { connector } from '../../src/connectors/google-sheets/index.ts';
import type { ConnectorContext, ModelSpec } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { google as googleScheme } from '../../src/webhooks/schemes/verify-google.ts';
import { startGoogle } from '../../sandbox/google/index.ts';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';

const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const rows = connector.models.rows as ModelSpec;
const SHEET = 'sheet-connector-test';

let fake: Awaited<ReturnType<typeof startGoogle>>;
let client: ProviderClient;
let receiver: Receiver | undefined;

function ctxFor(params: Record<string, unknown>): ConnectorContext {
  return { client, connection: { id: 'conn_google', tenantId: 't1', provider: 'google', config: { baseUrl: fake.url } }, params, log: pino({ level: 'silent' }) };
}
const keyed = () => ctxFor({ spreadsheetId: SHEET, sheet: 'People', keyColumn: 'Email' });

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(fake.url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

async function seedPeople(n: number): Promise<void> {
  const data: Array<Array<string | number>> = [['Name', 'Email', 'Amount']];
  for (let i = 1; i <= n; i += 1) data.push([`Person ${i}`, `p${i}@example.com`, i]);
  await control('POST', '/_sandbox/seed', { spreadsheets: [{ id: SHEET, title: 'Connector test', sheets: [{ title: 'People', rows: data, rowCount: Math.max(1000, n + 10) }] }] });
}

async function readAll(ctx: ConnectorContext, pageSize?: number) {
  const out = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await rows.list(ctx, { cursor, ...(pageSize ? { pageSize } : {}) });
    out.push(...page.records);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  return { records: out, pages };
}

before(async () => {
  fake = await startGoogle({ knobs: { readPerMinutePerUser: 100_000, writePerMinutePerUser: 100_000 } });
  const entry = catalog.get('google')!;
  client = new ProviderClient({
    profile: profileFromCatalog(entry, { authMode: 'oauth2', connectionConfig: { baseUrl: fake.url } }),
    connectionId: 'conn_google', tokens: staticToken(fake.credentials.accessToken!),
  });
});

beforeEach(async () => {
  await control('POST', '/_sandbox/reset');
  await control('PATCH', '/_sandbox/knobs', { readPerMinutePerUser: 100_000, writePerMinutePerUser: 100_000 });
});

after(async () => {
  await receiver?.close();
  await fake.close();
});

test('rows: a full read walks every page and keys records by the key column', async () => {
  await seedPeople(250);
  const { records, pages } = await readAll(keyed(), 100);
  assert.equal(records.length, 250);
  assert.ok(pages >= 3, `${pages} pages`);
  const p7 = records.find((r) => r.id === 'p7@example.com');
  assert.deepEqual(p7?.record, { Name: 'Person 7', Email: 'p7@example.com', Amount: 7, id: 'p7@example.com', _row: 8 });
  assert.equal(new Set(records.map((r) => r.id)).size, 250);
});

test('rows: without a key column the id is the row number', async () => {
  const ctx = ctxFor({ spreadsheetId: fake.credentials.spreadsheetId, sheet: 'Sheet1' });
  const { records } = await readAll(ctx);
  assert.deepEqual(records.map((r) => r.id), ['2', '3']);
  assert.equal(records[1]!.record.Name, 'Grace');
  const got = await rows.get(ctx, '3');
  assert.equal(got?.record.Email, 'grace@example.com');
  assert.equal(await rows.get(ctx, '5000'), undefined, 'past the grid is simply absent');
});

test('rows: not incremental; a re-read after a person edits a cell shows the change', async () => {
  assert.equal(rows.incremental, false);
  await seedPeople(20);
  const first = await rows.list(keyed(), {});
  assert.equal(first.nextCursor, null);
  await control('PUT', `/_sandbox/google/spreadsheets/${SHEET}/values`, { range: 'People!C6', values: [[999]] });
  const second = await rows.list(keyed(), { since: new Date().toISOString() });
  assert.equal(second.records.length, 20, 'Sheets has no changed-since: every row comes back');
  const changed = second.records.filter((r) => JSON.stringify(r.record) !== JSON.stringify(first.records.find((f) => f.id === r.id)?.record));
  assert.deepEqual(changed.map((r) => [r.id, r.record.Amount]), [['p5@example.com', 999]]);
});

test('rows: append to a sheet with only a header (the inbound-events path)', async () => {
  await control('POST', '/_sandbox/seed', { spreadsheets: [{ id: SHEET, sheets: [{ title: 'People', rows: [['Name', 'Email', 'Amount']] }] }] });
  const [res] = await rows.upsert!(keyed(), [{ record: { Name: 'Ada', Email: 'ada@example.com', Amount: 12 } }]);
  assert.deepEqual(res, { ok: true, id: 'ada@example.com', created: true });
  const got = await rows.get(keyed(), 'ada@example.com');
  assert.deepEqual(got?.record, { Name: 'Ada', Email: 'ada@example.com', Amount: 12, id: 'ada@example.com', _row: 2 });
  const [again] = await rows.upsert!(keyed(), [{ record: { Email: 'ada@example.com', Amount: 13 } }]);
  assert.deepEqual(again, { ok: true, id: 'ada@example.com', created: false });
  const after = await rows.get(keyed(), 'ada@example.com');
  assert.equal(after?.record.Amount, 13);
  assert.equal(after?.record.Name, 'Ada', 'a field left out is left alone');
});

test('rows: an append to an empty sheet writes the header from the record first', async () => {
  await control('POST', '/_sandbox/seed', { spreadsheets: [{ id: SHEET, sheets: [{ title: 'People', rows: [] }] }] });
  const [res] = await rows.upsert!(keyed(), [{ record: { Email: 'lin@example.com', Name: 'Lin' } }]);
  assert.deepEqual(res, { ok: true, id: 'lin@example.com', created: true });
  const values = await client.json<{ values: unknown[][] }>({ method: 'GET', path: `/v4/spreadsheets/${SHEET}/values/People` });
  assert.deepEqual(values.values, [['Email', 'Name'], ['lin@example.com', 'Lin']]);
});

test('rows: append without a key column returns row numbers; a new field becomes a header cell; text stays text', async () => {
  const ctx = ctxFor({ spreadsheetId: fake.credentials.spreadsheetId, sheet: 'Sheet1' });
  const res = await rows.upsert!(ctx, [
    { record: { Name: 'Linus', Email: 'linus@example.com', Note: '=1+1' } },
    { id: '2', record: { Status: 'closed' } },
    { id: 'x', record: { Name: 'bad' } },
  ]);
  assert.deepEqual(res[0], { ok: true, id: '4', created: true });
  assert.deepEqual(res[1], { ok: true, id: '2', created: false });
  assert.equal(res[2]!.ok, false);
  const linus = await rows.get(ctx, '4');
  assert.equal(linus?.record.Note, '=1+1', 'RAW input: a formula-looking value is not evaluated');
  assert.equal((await rows.get(ctx, '2'))?.record.Status, 'closed');
});

test('rows: an upsert larger than the batch limit updates and appends in batched calls', async () => {
  await seedPeople(300);
  await control('DELETE', '/_sandbox/requests');
  const inputs = [];
  for (let i = 1; i <= 300; i += 1) inputs.push({ record: { Email: `p${i}@example.com`, Amount: i * 10 } });
  for (let i = 301; i <= 1100; i += 1) inputs.push({ record: { Name: `New ${i}`, Email: `p${i}@example.com`, Amount: i } });
  assert.ok(inputs.length > rows.batchLimit);
  const results = await rows.upsert!(keyed(), inputs);
  assert.equal(results.length, 1100);
  assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
  assert.equal(results.filter((r) => r.ok && r.created).length, 800);
  const log = await control('GET', `/_sandbox/requests?method=POST&pathPrefix=/v4/spreadsheets/${SHEET}/values`);
  const paths = log.requests.map((r: { path: string }) => r.path) as string[];
  const appends = paths.filter((p) => p.endsWith(':append')).length;
  const updates = paths.filter((p) => p.endsWith('values:batchUpdate')).length;
  assert.equal(appends, 3, 'one append per batch of 500: 200 new rows in the first, 500 in the second, 100 in the third');
  assert.equal(updates, 1, 'only the first batch has existing rows');
  assert.ok(log.requests.every((r: { status: number }) => r.status === 200));
  const { records } = await readAll(keyed());
  assert.equal(records.length, 1100);
  assert.equal(records.find((r) => r.id === 'p42@example.com')?.record.Amount, 420);
  assert.equal(records.find((r) => r.id === 'p1100@example.com')?.record.Name, 'New 1100');
});

test('rows: delete clears the row; the read skips it and a missing key counts as gone', async () => {
  await seedPeople(5);
  const res = await rows.delete!(keyed(), ['p2@example.com', 'nobody@example.com']);
  assert.deepEqual(res, [{ id: 'p2@example.com', ok: true }, { id: 'nobody@example.com', ok: true }]);
  assert.equal(await rows.get(keyed(), 'p2@example.com'), undefined);
  const { records } = await readAll(keyed());
  assert.deepEqual(records.map((r) => r.id), ['p1@example.com', 'p3@example.com', 'p4@example.com', 'p5@example.com']);
  const log = await control('GET', `/_sandbox/requests?method=POST&pathPrefix=/v4/spreadsheets/${SHEET}/values:batchClear`);
  assert.deepEqual(log.requests[0].body, { ranges: ["'People'!3:3"] });
});

test('fromWebhook: a Drive push for the sheet becomes a whole-sheet hint, and the re-read finds the edit', async () => {
  await seedPeople(3);
  receiver = await startReceiver();
  const channel = await client.json<{ resourceId: string }>({ method: 'POST', path: `/drive/v3/files/${SHEET}/watch`, body: { id: 'chan-1', type: 'web_hook', address: receiver.url, token: 'channel-secret' } });
  assert.ok(channel.resourceId);
  await receiver.waitFor(1);
  await control('PUT', `/_sandbox/google/spreadsheets/${SHEET}/values`, { range: 'People!A3', values: [['Renamed']] });
  const [sync, update] = await receiver.waitFor(2);
  const toRequest = (r: typeof sync) => ({
    rawBody: Buffer.from(r!.body), method: 'POST', url: 'https://hub.example.com/hook',
    headers: Object.fromEntries(Object.entries(r!.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v])) as Record<string, string>,
  });
  const verifyCtx = { secrets: ['channel-secret'], options: {}, now: Date.now() };
  for (const r of [sync, update]) assert.deepEqual(await googleScheme.verify(toRequest(r), verifyCtx), { ok: true });
  const asEvent = (r: typeof sync) => ({ provider: 'google', type: googleScheme.describe(toRequest(r), undefined, {}).type, body: undefined, headers: toRequest(r).headers });
  assert.equal(asEvent(sync).type, 'drive.sync');
  assert.deepEqual(connector.fromWebhook!(asEvent(sync)), [], 'the sync handshake changes nothing');
  const changes = connector.fromWebhook!(asEvent(update));
  assert.deepEqual(changes, [{ model: 'rows', id: '*', params: { spreadsheetId: SHEET } }]);
  const got = await rows.get(ctxFor({ ...changes[0]!.params, sheet: 'People', keyColumn: 'Email' }), 'p2@example.com');
  assert.equal(got?.record.Name, 'Renamed');
});

test('rows: a 429 burst and 20% 5xx still end in a complete read', async () => {
  await seedPeople(120);
  // Apart: a 429 spends one of the client's five attempts, so both at once would leave completion to chance.
  for (const faults of [{ burst429: 3 }, { errorRate: 0.2, errorStatus: 503 }]) {
    await control('PUT', '/_sandbox/faults', faults);
    const { records } = await readAll(keyed(), 50);
    await control('PUT', '/_sandbox/faults', {});
    assert.equal(records.length, 120, JSON.stringify(faults));
  }
  const log = await control('GET', '/_sandbox/requests?method=GET');
  assert.ok(log.requests.some((r: { status: number }) => r.status === 429), 'the burst was answered');
  assert.ok(log.requests.some((r: { status: number }) => r.status === 503), 'some 5xx were injected');
});
