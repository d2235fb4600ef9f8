import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import pino from 'pino';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { startReceiver } from '../../sandbox/core/test-receiver.ts';
import { MemoryCache } from '../../src/cache/memory.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { connector } from '../../src/connectors/hubspot/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import type { ChangePage, ConnectorContext, ModelSpec, RecordChange, UpsertInput } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken, type CallEvent } from '../../src/http-client/index.ts';
import { hubspot as hubspotScheme } from '../../src/webhooks/schemes/verify-hubspot.ts';
import type { HubSpotRecord } from '../../src/connectors/hubspot/normalise.ts';

/**
 * The HubSpot connector against the HubSpot fake over real HTTP: every
 * model lists across pages, reads changes since a watermark, writes more
 * than one batch, deletes, and turns a signed delivery into changes.
 */
const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const fake = await startHubSpot({ knobs: { burstLimit: 10_000 } });
after(() => fake.close());

type Model = ModelSpec<HubSpotRecord>;
const models = connector.models as Record<'contacts' | 'companies' | 'deals', Model>;
/** A plain text property per type that writes can set. */
const textProperty = { contacts: 'firstname', companies: 'name', deals: 'dealname' } as const;

interface Setup {
  ctx: ConnectorContext;
  calls: CallEvent[];
}

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${fake.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/** A fresh portal and a fresh client (so no property list survives from an earlier test). */
async function setup(seed: unknown, opts: { rateLimit?: boolean; config?: Record<string, unknown> } = {}): Promise<Setup> {
  await control('POST', '/_sandbox/reset');
  await control('PATCH', '/_sandbox/knobs', { burstLimit: 10_000 });
  await control('POST', '/_sandbox/seed', seed);
  const config = { baseUrl: fake.url, ...opts.config };
  const calls: CallEvent[] = [];
  const client = new ProviderClient({
    profile: profileFromCatalog(catalog.get('hubspot')!, { authMode: 'api_key', connectionConfig: { baseUrl: fake.url } }),
    connectionId: 'conn_hubspot_test',
    tokens: staticToken(fake.credentials.accessToken!),
    onCall: (e) => calls.push(e),
    ...(opts.rateLimit === false ? { rateLimit: false } : {}),
  });
  const ctx: ConnectorContext = {
    client, connection: { id: 'conn_hubspot_test', tenantId: 'ten_test', provider: 'hubspot', config }, params: {}, log: pino({ level: 'silent' }),
  };
  return { ctx, calls };
}

async function readAll(model: Model, ctx: ConnectorContext, since?: string | null, pageSize?: number): Promise<{ pages: ChangePage<HubSpotRecord>[]; records: RecordChange<HubSpotRecord>[]; deleted: string[]; watermark: string }> {
  const pages: ChangePage<HubSpotRecord>[] = [];
  let cursor: string | null = null;
  do {
    const page: ChangePage<HubSpotRecord> = await model.list(ctx, { since: since ?? null, cursor, ...(pageSize ? { pageSize } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  const watermark = pages.at(-1)?.watermark;
  assert.ok(typeof watermark === 'string', 'the last page carries a watermark');
  return { pages, records: pages.flatMap((p) => p.records), deleted: pages.flatMap((p) => p.deletedIds), watermark };
}

async function requests(pathPrefix: string, method = 'POST'): Promise<{ path: string; query: Record<string, unknown>; body: any; status: number }[]> {
  return (await control('GET', `/_sandbox/requests?method=${method}&pathPrefix=${encodeURIComponent(pathPrefix)}`)).requests;
}

const customProperty = { name: 'favourite_colour', label: 'Favourite colour', type: 'string', fieldType: 'text', groupName: 'contactinformation' };

for (const type of ['contacts', 'companies', 'deals'] as const) {
  const model = models[type];
  const text = textProperty[type];

  describe(`hubspot ${type}`, () => {
    test('a full list walks every page and carries custom properties', async () => {
      const { ctx } = await setup({ generate: { [type]: 230 }, properties: { [type]: [customProperty] } });
      const { pages, records } = await readAll(model, ctx, null, 100);
      assert.equal(pages.length, 3, '230 records at 100 a page');
      assert.equal(new Set(records.map((r) => r.id)).size, 230);
      for (const r of records) {
        assert.equal(typeof r.record.id, 'string');
        assert.ok('favourite_colour' in r.record.properties, 'the custom property is requested and present');
        assert.ok(text in r.record.properties);
        assert.equal(r.modifiedAt, Date.parse(r.record.updatedAt));
      }
      const lists = await requests(`/crm/v3/objects/${type}`, 'GET');
      assert.equal(lists.length, 3);
      assert.match(String(lists[0]!.query.properties), /favourite_colour/);
    });

    test('an incremental list returns exactly what changed, then what was deleted', async () => {
      const { ctx } = await setup({ generate: { [type]: 60 } });
      const first = await readAll(model, ctx);
      assert.equal(first.records.length, 60);
      const [changed, removed] = first.records.slice(10, 12);
      await control('PATCH', `/_sandbox/hubspot/objects/${type}/${changed!.id}`, { properties: { [text]: 'Changed in the UI' } });
      const second = await readAll(model, ctx, first.watermark);
      assert.deepEqual(second.records.map((r) => r.id), [changed!.id]);
      assert.equal(second.records[0]!.record.properties[text], 'Changed in the UI');
      assert.deepEqual(second.deleted, []);
      const searches = await requests(`/crm/v3/objects/${type}/search`);
      assert.ok(searches.length >= 1);
      const filter = searches[0]!.body.filterGroups[0].filters[0];
      assert.equal(filter.operator, 'GTE');
      assert.equal(filter.propertyName, type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate');
      assert.equal(searches[0]!.body.sorts[0].direction, 'ASCENDING');

      await control('DELETE', `/_sandbox/hubspot/objects/${type}/${removed!.id}`);
      const third = await readAll(model, ctx, second.watermark);
      assert.deepEqual(third.deleted, [removed!.id], 'the recycle bin names the archived record');
      assert.ok(!third.records.some((r) => r.id === removed!.id));
    });

    test('upserting more than one batch splits into batch calls and reports every input', async () => {
      const { ctx } = await setup({ generate: { [type]: 120 } });
      const existing = (await readAll(model, ctx)).records;
      const updates = existing.slice(0, 110).map((r) => ({ id: r.id, record: { ...r.record, properties: { ...r.record.properties, [text]: `Updated ${r.id}` } } }));
      const creates = Array.from({ length: 130 }, (_, i) => ({ record: { properties: { [text]: `Created ${i}` } } }));
      const inputs: UpsertInput<any>[] = [...updates, ...creates];
      const results = await model.upsert!(ctx, inputs);
      assert.equal(results.length, 240);
      assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
      assert.deepEqual(results.slice(0, 110).map((r) => r.ok && r.id), updates.map((u) => u.id));
      assert.ok(results.slice(110).every((r) => r.ok && r.created));
      const state = await control('GET', '/_sandbox/state');
      assert.equal(state.counts[type].live, 250);
      const got = await model.get(ctx, updates[105]!.id);
      assert.equal(got?.record.properties[text], `Updated ${updates[105]!.id}`);
      const updateCalls = await requests(`/crm/v3/objects/${type}/batch/update`);
      const createCalls = await requests(`/crm/v3/objects/${type}/batch/create`);
      assert.deepEqual(updateCalls.map((c) => c.body.inputs.length), [100, 10]);
      assert.deepEqual(createCalls.map((c) => c.body.inputs.length), [100, 30]);
      assert.ok(!updateCalls.some((c) => 'createdate' in c.body.inputs[0].properties), 'read-only properties are not written back');
    });

    test('delete archives in batches and the record is gone', async () => {
      const { ctx } = await setup({ generate: { [type]: 130 } });
      const ids = (await readAll(model, ctx)).records.map((r) => r.id).slice(0, 120);
      const results = await model.delete!(ctx, ids);
      assert.ok(results.every((r) => r.ok));
      assert.deepEqual(results.map((r) => r.id), ids);
      const state = await control('GET', '/_sandbox/state');
      assert.deepEqual(state.counts[type], { live: 10, archived: 120 });
      assert.equal(await model.get(ctx, ids[0]!), undefined);
      assert.deepEqual((await requests(`/crm/v3/objects/${type}/batch/archive`)).map((c) => c.body.inputs.length), [100, 20]);
    });

    test('a signed webhook delivery becomes changes the model can read', async () => {
      const { ctx } = await setup({ generate: { [type]: 3 } });
      const receiver = await startReceiver();
      try {
        await control('POST', '/_sandbox/webhooks/subscriptions', { url: receiver.url, events: [] });
        const [target] = (await readAll(model, ctx)).records;
        await control('PATCH', `/_sandbox/hubspot/objects/${type}/${target!.id}`, { properties: { [text]: 'From the webhook' } });
        const [delivery] = await receiver.waitFor(1);
        const req = { rawBody: Buffer.from(delivery!.body), headers: lower(delivery!.headers), method: 'POST', url: receiver.url };
        assert.deepEqual(await hubspotScheme.verify(req, { secrets: [fake.credentials.clientSecret!], options: {}, now: Date.now() }), { ok: true });
        const changes = connector.fromWebhook!({ provider: 'hubspot', type: hubspotScheme.describe(req, undefined).type, body: JSON.parse(delivery!.body), headers: req.headers as Record<string, string> });
        assert.deepEqual(changes, [{ model: type, id: target!.id }]);
        const got = await models[changes[0]!.model as typeof type].get(ctx, changes[0]!.id);
        assert.equal(got?.record.properties[text], 'From the webhook');

        await control('DELETE', `/_sandbox/hubspot/objects/${type}/${target!.id}`);
        const [, deletion] = await receiver.waitFor(2);
        const gone = connector.fromWebhook!({ provider: 'hubspot', type: 'x', body: JSON.parse(deletion!.body), headers: {} });
        assert.deepEqual(gone, [{ model: type, id: target!.id, deleted: true }]);
      } finally {
        await receiver.close();
      }
    });
  });
}

function lower(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
}

describe('hubspot contacts: matching, caps and faults', () => {
  test('matchField email upserts by idProperty in one batch; a bad input fails alone', async () => {
    const { ctx } = await setup({ generate: { contacts: 20 } });
    const existing = (await readAll(models.contacts, ctx)).records.map((r) => r.record);
    const matched: UpsertInput<any>[] = existing.slice(0, 5).map((c) => ({ matchField: 'email', record: { properties: { email: c.properties.email!.toUpperCase(), jobtitle: 'Matched' } } }));
    const fresh: UpsertInput<any>[] = Array.from({ length: 5 }, (_, i) => ({ matchField: 'email', record: { properties: { email: `fresh${i}@example.org`, firstname: 'Fresh' } } }));
    const noEmail: UpsertInput<any> = { matchField: 'email', record: { properties: { firstname: 'Nobody' } } };
    const creates: UpsertInput<any>[] = Array.from({ length: 10 }, (_, i) => ({ record: { properties: { email: i === 6 ? existing[9]!.properties.email : `create${i}@example.org` } } }));
    const results = await models.contacts.upsert!(ctx, [...matched, ...fresh, noEmail, ...creates]);
    assert.deepEqual(results.slice(0, 5).map((r) => r.ok && !r.created && r.id), existing.slice(0, 5).map((c) => c.id));
    assert.ok(results.slice(5, 10).every((r) => r.ok && r.created));
    assert.deepEqual(results[10], { ok: false, error: 'hubspot contacts: matchField email has no value', retryable: false });
    const failed = results.map((r, i) => ({ r, i })).filter(({ r }) => !r.ok).map(({ i }) => i);
    assert.deepEqual(failed, [10, 17], 'only the input without an email and the duplicate create fail');
    assert.match((results[17] as { error: string }).error, /409/);
    assert.equal((results[17] as { retryable: boolean }).retryable, false);
    const upserts = await requests('/crm/v3/objects/contacts/batch/upsert');
    assert.equal(upserts.length, 1);
    assert.ok(upserts[0]!.body.inputs.every((i: { idProperty: string }) => i.idProperty === 'email'));
    assert.equal((await models.contacts.get(ctx, existing[2]!.id))?.record.properties.jobtitle, 'Matched');
    const state = await control('GET', '/_sandbox/state');
    assert.equal(state.counts.contacts.live, 20 + 5 + 9);
    const company = await models.companies.upsert!(ctx, [{ matchField: 'email', record: { properties: { name: 'X' } } } as UpsertInput<any>]);
    assert.equal(company[0]!.ok, false);
  });

  test('the property list is cached per connection in ctx.cache, so a second worker does not ask again', async () => {
    const cache = new MemoryCache();
    const a = await setup({ generate: { contacts: 5 }, properties: { contacts: [customProperty] } });
    const b = await setup({ generate: { contacts: 5 }, properties: { contacts: [customProperty] } });
    await control('DELETE', '/_sandbox/requests');
    const first = await models.contacts.list({ ...a.ctx, cache }, {});
    const second = await models.contacts.list({ ...b.ctx, cache }, {});
    assert.ok(first.records.every((r) => 'favourite_colour' in r.record.properties));
    assert.ok(second.records.every((r) => 'favourite_colour' in r.record.properties));
    assert.equal((await requests('/crm/v3/properties/contacts', 'GET')).length, 1);
  });

  test('an incremental read past 10,000 results starts a new search from the last seen time', async () => {
    // The limiter is off so 50-odd searches do not wait on the general burst bucket; the search pacing is raised with the fake's search limit.
    const { ctx } = await setup({ generate: { contacts: 10_050 } }, { rateLimit: false, config: { searchRequestsPerSecond: 100 } });
    await control('PATCH', '/_sandbox/knobs', { searchLimit: 100 });
    const { records, deleted } = await readAll(models.contacts, ctx, '1970-01-01T00:00:00.000Z', 200);
    assert.equal(new Set(records.map((r) => r.id)).size, 10_050);
    assert.deepEqual(deleted, []);
    const searches = await requests('/crm/v3/objects/contacts/search');
    assert.ok(searches.every((s) => s.status === 200 && Number(s.body.after ?? 0) < 10_000), 'never pages past the cap');
    const bounds = new Set(searches.map((s) => s.body.filterGroups[0].filters[0].value));
    assert.ok(bounds.size >= 2, 'a second search window began at the last seen time');
    const modified = records.map((r) => r.modifiedAt);
    assert.ok(modified.every((m, i) => i === 0 || m >= modified[i - 1]!), 'ascending by last-modified time');
  });

  test('a list completes under 20% 5xx and a 429 burst (the client retries)', async () => {
    const { ctx } = await setup({ generate: { contacts: 230 } });
    // The burst first, on its own: a 429 spends an attempt, and sharing the
    // five attempts with 20% 5xx would make the outcome depend on luck.
    await control('PUT', '/_sandbox/faults', { burst429: 3 });
    assert.equal((await readAll(models.contacts, ctx, null, 100)).records.length, 230);
    await control('PUT', '/_sandbox/faults', { errorRate: 0.2 });
    const full = await readAll(models.contacts, ctx, null, 50);
    assert.equal(new Set(full.records.map((r) => r.id)).size, 230);
    const incremental = await readAll(models.contacts, ctx, '1970-01-01T00:00:00.000Z', 100);
    assert.equal(new Set(incremental.records.map((r) => r.id)).size, 230);
    const log = (await control('GET', '/_sandbox/requests')).requests as { status: number }[];
    assert.equal(log.filter((r) => r.status === 429).length, 3);
    assert.ok(log.some((r) => r.status === 503), 'some answers were injected 5xx');
    await control('PUT', '/_sandbox/faults', {});
  });
});

/**
 * More than 10,000 changes in one millisecond cannot be seeded into the
 * fake, so a small real server plays HubSpot's search with a cap of four
 * results per query (answering `after: "10000"` where HubSpot would refuse
 * to page on): seven contacts share one time, three come later.
 */
async function crowdedSearchServer(): Promise<{ url: string; bodies: any[]; close: () => Promise<void> }> {
  const T = Date.parse('2026-01-01T00:00:00.000Z');
  const rows = Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), at: i < 7 ? T : T + 5 }));
  const bodies: any[] = [];
  const render = (r: { id: string; at: number }) => {
    const iso = new Date(r.at).toISOString();
    return { id: r.id, properties: { hs_object_id: r.id, lastmodifieddate: iso, email: `c${r.id}@example.org` }, createdAt: iso, updatedAt: iso, archived: false };
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/crm/v3/properties/')) return res.end(JSON.stringify({ results: [{ name: 'email' }, { name: 'hs_object_id' }, { name: 'lastmodifieddate' }] }));
      if (req.method === 'GET') return res.end(JSON.stringify({ results: [] }));
      const body = JSON.parse(raw);
      bodies.push(body);
      const value = (f: { value: string }) => Number(f.value);
      let hits = rows.filter((r) => body.filterGroups[0].filters.every((f: { propertyName: string; operator: string; value: string }) =>
        f.propertyName === 'hs_object_id' ? Number(r.id) > value(f)
          : f.operator === 'EQ' ? r.at === value(f) : r.at >= value(f)));
      hits = body.sorts[0].propertyName === 'hs_object_id' ? hits.sort((a, b) => Number(a.id) - Number(b.id)) : hits.sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
      const offset = Number(body.after ?? 0);
      const page = hits.slice(offset, offset + body.limit);
      const next = offset + page.length;
      const paging = next < hits.length ? { paging: { next: { after: next >= 4 ? '10000' : String(next) } } } : {};
      res.end(JSON.stringify({ total: hits.length, results: page.map(render), ...paging }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('hubspot: a millisecond holding more than the cap is walked by id, then reading goes on after it', async () => {
  const server = await crowdedSearchServer();
  try {
    const client = new ProviderClient({
      profile: profileFromCatalog(catalog.get('hubspot')!, { authMode: 'api_key', connectionConfig: { baseUrl: server.url } }),
      connectionId: 'conn_crowded', tokens: staticToken('token'),
    });
    const ctx: ConnectorContext = { client, connection: { id: 'conn_crowded', tenantId: 'ten_test', provider: 'hubspot', config: {} }, params: {}, log: pino({ level: 'silent' }) };
    const { records } = await readAll(models.contacts, ctx, '2025-12-31T00:00:00.000Z', 2);
    // The second window starts at the crowded time (GTE) and meets the cap again before switching to ids: 1–4 are read twice, which the engine's hash check skips.
    assert.deepEqual(records.map((r) => r.id), ['1', '2', '3', '4', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const T = String(Date.parse('2026-01-01T00:00:00.000Z'));
    const tie = server.bodies.filter((b) => b.filterGroups[0].filters.length === 2);
    assert.ok(tie.length >= 1);
    assert.deepEqual(tie[0].filterGroups[0].filters, [{ propertyName: 'lastmodifieddate', operator: 'EQ', value: T }, { propertyName: 'hs_object_id', operator: 'GT', value: '4' }]);
    assert.equal(tie[0].sorts[0].propertyName, 'hs_object_id');
    assert.equal(server.bodies.at(-1).filterGroups[0].filters[0].value, String(Number(T) + 1), 'then strictly after the crowded millisecond');
  } finally {
    await server.close();
  }
});
