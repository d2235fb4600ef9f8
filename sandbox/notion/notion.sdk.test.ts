import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APIErrorCode, APIResponseError, Client, collectPaginatedAPI, iteratePaginatedAPI, isFullPage, LogLevel } from '@notionhq/client';
import { startNotion, SANDBOX_INTEGRATION_TOKEN } from './index.ts';

/** Conformance: the official `@notionhq/client`, pointed at the fake only through `baseUrl`. */
let fake: Awaited<ReturnType<typeof startNotion>>;
let notion: Client;
let databaseId = '';
let dataSourceId = '';

before(async () => {
  fake = await startNotion({ seed: { generate: { pages: 250 } }, knobs: { rateLimit: 10_000 } });
  notion = new Client({ auth: SANDBOX_INTEGRATION_TOKEN, baseUrl: fake.url, logLevel: LogLevel.ERROR });
  const db = [...fake.ctx.state.databases.values()][0]!;
  databaseId = db.id;
  dataSourceId = db.dataSourceId;
});
after(async () => {
  await fake.ctx.webhooks.drain();
  await fake.close();
});

const isCode = (code: string) => (err: unknown) => APIResponseError.isAPIResponseError(err) && err.code === code;

describe('notion fake with @notionhq/client', () => {
  test('databases.retrieve lists the data source; dataSources.retrieve has the schema', async () => {
    const db = await notion.databases.retrieve({ database_id: databaseId });
    assert.ok('data_sources' in db);
    assert.deepEqual(db.data_sources.map((d) => d.id), [dataSourceId]);
    const ds = await notion.dataSources.retrieve({ data_source_id: dataSourceId });
    assert.ok('properties' in ds);
    assert.equal(ds.properties.Name!.type, 'title');
    const status = ds.properties.Status!;
    assert.ok(status.type === 'status');
    assert.deepEqual(status.status.options.map((o) => o.name), ['Not started', 'In progress', 'Done']);
  });

  test('dataSources.query pages through all rows with iteratePaginatedAPI and collectPaginatedAPI', async () => {
    const first = await notion.dataSources.query({ data_source_id: dataSourceId, page_size: 100 });
    assert.equal(first.results.length, 100);
    assert.equal(first.has_more, true);
    assert.ok(first.next_cursor);
    const ids: string[] = [];
    for await (const row of iteratePaginatedAPI(notion.dataSources.query, { data_source_id: dataSourceId, page_size: 40 })) ids.push(row.id);
    assert.equal(ids.length, 250);
    assert.equal(new Set(ids).size, 250);
    const all = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: dataSourceId });
    assert.equal(all.length, 250);
    const page = all[0]!;
    assert.ok(isFullPage(page));
    assert.equal(page.parent.type, 'data_source_id');
    const email = page.properties.Email!;
    assert.ok(email.type === 'email' && typeof email.email === 'string');
    const owner = page.properties.Owner!;
    assert.ok(owner.type === 'people' && owner.people.length === 1);
    await assert.rejects(notion.dataSources.query({ data_source_id: dataSourceId, page_size: 101 }), isCode(APIErrorCode.ValidationError));
  });

  test('last_edited_time filter with ascending sort (the changed-since query)', async () => {
    const cutoff = '2024-01-01T03:00:00.000Z';
    const rows = await collectPaginatedAPI(notion.dataSources.query, {
      data_source_id: dataSourceId,
      filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: cutoff } },
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
    });
    assert.ok(rows.length > 0 && rows.length < 250);
    let previous = '';
    for (const row of rows) {
      assert.ok(isFullPage(row));
      assert.ok(row.last_edited_time >= cutoff);
      assert.ok(row.last_edited_time >= previous);
      previous = row.last_edited_time;
    }
  });

  test('the older POST /v1/databases/{id}/query works through client.request', async () => {
    const res = await notion.request<{ object: string; results: { id: string; parent: { type: string } }[]; has_more: boolean; next_cursor: string | null; type: string }>({
      path: `databases/${databaseId}/query`, method: 'post',
      body: { page_size: 10, filter: { property: 'Stage', select: { equals: 'Customer' } } },
    });
    assert.equal(res.object, 'list');
    assert.equal(res.type, 'page_or_database');
    assert.ok(res.results.length > 0);
    const old = new Client({ auth: SANDBOX_INTEGRATION_TOKEN, baseUrl: fake.url, notionVersion: '2022-06-28', logLevel: LogLevel.ERROR });
    const db = await old.request<{ properties: Record<string, unknown> }>({ path: `databases/${databaseId}`, method: 'get' });
    assert.ok(db.properties.Email, 'older versions see the schema on the database');
  });

  test('pages.create, pages.update, pages.retrieve and archiving', async () => {
    const created = await notion.pages.create({
      parent: { data_source_id: dataSourceId },
      properties: {
        Name: { title: [{ text: { content: 'Zed Zebra' } }] },
        Email: { email: 'zed@example.com' },
        Phone: { phone_number: '+1 555 0100' },
        Company: { rich_text: [{ text: { content: 'Zoo Ltd' } }] },
        Stage: { select: { name: 'Brand new stage' } },
        Status: { status: { name: 'In progress' } },
        'Deal value': { number: 42.5 },
        'Next contact': { date: { start: '2025-03-04' } },
        Owner: { people: [{ id: '0f1e2d3c-0000-4000-a000-000000000002' }] },
        Subscribed: { checkbox: true },
      },
    });
    assert.ok(isFullPage(created));
    const props = created.properties;
    assert.ok(props.Name!.type === 'title' && props.Name!.title[0]!.plain_text === 'Zed Zebra');
    assert.ok(props.Stage!.type === 'select' && props.Stage!.select?.name === 'Brand new stage');
    assert.ok(props.Status!.type === 'status' && props.Status!.status?.name === 'In progress');
    assert.ok(props['Next contact']!.type === 'date' && props['Next contact']!.date?.start === '2025-03-04');

    const updated = await notion.pages.update({ page_id: created.id, properties: { Email: { email: null }, 'Deal value': { number: 7 } } });
    assert.ok(isFullPage(updated));
    assert.ok(updated.properties.Email!.type === 'email' && updated.properties.Email!.email === null);
    const fetched = await notion.pages.retrieve({ page_id: created.id });
    assert.ok(isFullPage(fetched));
    assert.ok(fetched.properties['Deal value']!.type === 'number' && fetched.properties['Deal value']!.number === 7);

    const trashed = await notion.pages.update({ page_id: created.id, in_trash: true });
    assert.ok(isFullPage(trashed) && trashed.in_trash);
    await assert.rejects(notion.pages.update({ page_id: created.id, properties: { 'Deal value': { number: 1 } } }), isCode(APIErrorCode.ValidationError));
    const rows = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: dataSourceId, filter: { property: 'Email', email: { equals: 'zed@example.com' } } });
    assert.equal(rows.length, 0, 'trashed pages leave query results');
    const restored = await notion.pages.update({ page_id: created.id, archived: false });
    assert.ok(isFullPage(restored) && !restored.in_trash);
  });

  test('validation_error, object_not_found and unauthorized in Notion error shape', async () => {
    await assert.rejects(notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Email: { email: 5 as unknown as string } } }), (err: unknown) =>
      isCode(APIErrorCode.ValidationError)(err) && /body\.properties\.Email\.email should be a string/.test((err as Error).message));
    await assert.rejects(notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Nope: { checkbox: true } } }), isCode(APIErrorCode.ValidationError));
    await assert.rejects(notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Status: { status: { name: 'Imaginary' } } } }), isCode(APIErrorCode.ValidationError));
    await assert.rejects(notion.pages.retrieve({ page_id: '00000000-0000-4000-a000-000000000000' }), (err: unknown) =>
      isCode(APIErrorCode.ObjectNotFound)(err) && (err as APIResponseError).status === 404);
    const bad = new Client({ auth: 'secret_wrong', baseUrl: fake.url, logLevel: LogLevel.ERROR });
    await assert.rejects(bad.pages.retrieve({ page_id: '00000000-0000-4000-a000-000000000000' }), (err: unknown) =>
      isCode(APIErrorCode.Unauthorized)(err) && (err as APIResponseError).status === 401);
    const raw = await fetch(`${fake.url}/v1/pages/x`, { headers: { authorization: `Bearer ${SANDBOX_INTEGRATION_TOKEN}` } });
    assert.equal(raw.status, 400);
    const body = await raw.json() as Record<string, unknown>;
    assert.equal(body.object, 'error');
    assert.equal(body.code, 'missing_version');
    assert.equal(body.status, 400);
  });
});
