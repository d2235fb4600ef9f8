import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from '@mondaydotcomorg/api';
import { startMonday, SANDBOX_API_TOKEN } from './index.ts';

/**
 * Conformance: the official `@mondaydotcomorg/api` client, pointed at the
 * fake only through its `endpoint` option.
 */
type Fake = Awaited<ReturnType<typeof startMonday>>;
let fake: Fake;
let client: ApiClient;

interface ColumnValue { id: string; type: string; text: string | null; value: string | null }
interface ItemOut { id: string; name: string; created_at: string; updated_at: string; group: { id: string }; column_values: ColumnValue[] }
interface Page { cursor: string | null; items: ItemOut[] }

/** The SDK throws graphql-request's ClientError, which carries the parsed response. */
interface SdkErrorResponse { status: number; errors?: { message: string; extensions?: { code?: string } }[] }
const responseOf = (err: unknown): SdkErrorResponse => (err as { response?: SdkErrorResponse }).response ?? { status: 0 };

const ITEM_FIELDS = 'id name created_at updated_at group { id } column_values { id type text value }';

before(async () => {
  fake = await startMonday({ seed: { generate: { boards: 3, items: 1234 } } });
  client = new ApiClient({ token: SANDBOX_API_TOKEN, endpoint: `${fake.url}/v2` });
});
after(async () => {
  await fake.close();
});

async function leadsBoardId(): Promise<string> {
  const res = await client.request<{ boards: { id: string; name: string }[] }>('query { boards(limit: 10) { id name } }');
  return res.boards.find((b) => b.name === 'Leads')!.id;
}

describe('monday fake with @mondaydotcomorg/api', () => {
  test('boards returns columns with settings_str and groups', async () => {
    const res = await client.request<{ boards: { id: string; name: string; columns: { id: string; title: string; type: string; settings_str: string }[]; groups: { id: string; title: string }[] }[] }>(
      'query ($limit: Int) { boards(limit: $limit, page: 1) { id name columns { id title type settings_str } groups { id title } } }', { limit: 2 });
    assert.equal(res.boards.length, 2);
    const leads = res.boards[0]!;
    assert.equal(leads.name, 'Leads');
    assert.deepEqual(leads.columns.map((c) => c.type).slice(0, 6), ['name', 'email', 'phone', 'status', 'text', 'people']);
    const status = leads.columns.find((c) => c.id === 'status')!;
    assert.equal(JSON.parse(status.settings_str).labels['1'], 'Qualified');
    assert.deepEqual(leads.groups.map((g) => g.id), ['topics', 'group_qualified']);
    const page2 = await client.request<{ boards: { name: string }[] }>('query { boards(limit: 2, page: 2) { name } }');
    assert.deepEqual(page2.boards.map((b) => b.name), ['Project 2']);
  });

  test('items_page then next_items_page walks every item exactly once', async () => {
    const boardId = await leadsBoardId();
    const first = await client.request<{ boards: { items_page: Page }[] }>(
      `query ($ids: [ID!]) { boards(ids: $ids) { items_page(limit: 500) { cursor items { ${ITEM_FIELDS} } } } }`, { ids: [boardId] });
    let page = first.boards[0]!.items_page;
    const seen = page.items.map((i) => i.id);
    let pages = 1;
    while (page.cursor) {
      const next = await client.request<{ next_items_page: Page }>(
        `query ($cursor: String!) { next_items_page(cursor: $cursor, limit: 500) { cursor items { ${ITEM_FIELDS} } } }`, { cursor: page.cursor });
      page = next.next_items_page;
      seen.push(...page.items.map((i) => i.id));
      pages += 1;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 1234);
    assert.equal(new Set(seen).size, 1234);
    const sample = first.boards[0]!.items_page.items[0]!;
    const email = sample.column_values.find((c) => c.id === 'email')!;
    assert.equal(email.type, 'email');
    assert.equal(JSON.parse(email.value!).email, email.text);
    const status = sample.column_values.find((c) => c.id === 'status')!;
    assert.ok(['New', 'Qualified', 'Lost', 'Contacted'].includes(status.text!));
    assert.equal(typeof JSON.parse(status.value!).index, 'number');
    assert.ok(!sample.column_values.some((c) => c.id === 'name'), 'the name column is item.name, not a column value');
  });

  test('query_params filters by status and by __last_updated__', async () => {
    const boardId = await leadsBoardId();
    const res = await client.request<{ boards: { items_page: Page }[] }>(
      `query ($ids: [ID!], $qp: ItemsQuery) { boards(ids: $ids) { items_page(limit: 500, query_params: $qp) { cursor items { ${ITEM_FIELDS} } } } }`,
      { ids: [boardId], qp: { rules: [{ column_id: 'status', compare_value: [1], operator: 'any_of' }] } });
    const items = res.boards[0]!.items_page.items;
    assert.ok(items.length > 0);
    for (const item of items) assert.equal(item.column_values.find((c) => c.id === 'status')!.text, 'Qualified');

    const cutoff = '2024-01-01T20:00:00.000Z';
    const since = await client.request<{ boards: { items_page: Page }[] }>(
      `query ($ids: [ID!], $qp: ItemsQuery) { boards(ids: $ids) { items_page(limit: 500, query_params: $qp) { cursor items { id updated_at } } } }`,
      { ids: [boardId], qp: { rules: [{ column_id: '__last_updated__', compare_value: ['EXACT', cutoff], operator: 'greater_than' }], order_by: [{ column_id: '__last_updated__', direction: 'asc' }] } });
    const got = since.boards[0]!.items_page.items;
    assert.ok(got.length > 0);
    for (const item of got) assert.ok(item.updated_at > cutoff);
  });

  test('create_item and change_multiple_column_values with JSON-string column values', async () => {
    const boardId = await leadsBoardId();
    const created = await client.request<{ create_item: ItemOut }>(
      `mutation ($board: ID!, $name: String!, $values: JSON) { create_item(board_id: $board, group_id: "topics", item_name: $name, column_values: $values) { ${ITEM_FIELDS} } }`,
      {
        board: boardId, name: 'Zed Zebra',
        values: JSON.stringify({ email: { email: 'zed@example.com', text: 'Zed' }, phone: { phone: '+15551234567', countryShortName: 'US' }, status: { label: 'New' }, company: 'Zoo Ltd', owner: { personsAndTeams: [{ id: 40000002, kind: 'person' }] }, date: { date: '2025-03-04', time: '10:30:00' }, deal_value: '42.5' }),
      });
    const item = created.create_item;
    const byId = Object.fromEntries(item.column_values.map((c) => [c.id, c]));
    assert.equal(byId.email!.text, 'zed@example.com');
    assert.equal(byId.phone!.text, '+15551234567');
    assert.equal(byId.status!.text, 'New');
    assert.equal(byId.company!.value, '"Zoo Ltd"');
    assert.equal(byId.owner!.text, 'Grace Hopper');
    assert.deepEqual(JSON.parse(byId.owner!.value!).personsAndTeams, [{ id: 40000002, kind: 'person' }]);
    assert.equal(byId.date!.text, '2025-03-04 10:30:00');
    assert.equal(byId.deal_value!.text, '42.5');
    assert.equal(item.group.id, 'topics');

    const op = await client.operations.changeMultipleColumnValuesOp({ boardId, itemId: item.id, columnValues: JSON.stringify({ status: 'Qualified', company: 'Zoo Holdings', name: 'Zed Z.' }) });
    assert.equal(op.change_multiple_column_values?.name, 'Zed Z.');
    const fetched = await client.request<{ items: ItemOut[] }>(`query ($ids: [ID!]) { items(ids: $ids) { ${ITEM_FIELDS} } }`, { ids: [item.id] });
    const values = Object.fromEntries(fetched.items[0]!.column_values.map((c) => [c.id, c.text]));
    assert.equal(values.status, 'Qualified');
    assert.equal(values.company, 'Zoo Holdings');
    assert.ok(fetched.items[0]!.updated_at >= item.updated_at);
  });

  test('typed operations: createItemOp and getBoardGroupsOp', async () => {
    const boardId = await leadsBoardId();
    const created = await client.operations.createItemOp({ boardId, groupId: 'group_qualified', itemName: 'From typed op' });
    assert.equal(created.create_item?.name, 'From typed op');
    const groups = await client.operations.getBoardGroupsOp({ ids: [boardId] });
    assert.equal(groups.boards?.[0]?.groups?.length, 2);
  });

  test('an invalid status label is a ColumnValueException with HTTP 200', async () => {
    const boardId = await leadsBoardId();
    const res = await fetch(`${fake.url}/v2`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: SANDBOX_API_TOKEN, 'api-version': '2025-07' },
      body: JSON.stringify({ query: `mutation { create_item(board_id: ${boardId}, item_name: "x", column_values: "{\\"status\\":{\\"label\\":\\"Nope\\"}}") { id } }` }),
    });
    assert.equal(res.status, 200);
    const body = await res.json() as { data: { create_item: null }; errors: { message: string; path: string[]; extensions: { code: string; error_data: { column_type: string } } }[]; account_id: number };
    assert.equal(body.data.create_item, null);
    assert.equal(body.errors[0]!.extensions.code, 'ColumnValueException');
    assert.equal(body.errors[0]!.extensions.error_data.column_type, 'status');
    assert.deepEqual(body.errors[0]!.path, ['create_item']);
    assert.equal(typeof body.account_id, 'number');
    await assert.rejects(
      client.request(`mutation { create_item(board_id: ${boardId}, item_name: "x", column_values: "{\\"nope\\":\\"1\\"}") { id } }`),
      (err: unknown) => responseOf(err).errors?.[0]?.extensions?.code === 'InvalidColumnIdException');
  });

  test('delete_item removes the item from later pages', async () => {
    const boardId = await leadsBoardId();
    const created = await client.request<{ create_item: { id: string } }>(`mutation { create_item(board_id: ${boardId}, item_name: "doomed") { id } }`);
    const id = created.create_item.id;
    const deleted = await client.request<{ delete_item: { id: string } }>(`mutation ($id: ID!) { delete_item(item_id: $id) { id } }`, { id });
    assert.equal(deleted.delete_item.id, id);
    const after = await client.request<{ items: { id: string }[] }>('query ($ids: [ID!]) { items(ids: $ids) { id } }', { ids: [id] });
    assert.deepEqual(after.items, []);
  });

  test('a syntax error and an unknown field come back as GraphQL errors', async () => {
    await assert.rejects(client.request('query { boards { id '), (err: unknown) =>
      responseOf(err).status === 200 && responseOf(err).errors?.[0]?.extensions?.code === 'GRAPHQL_PARSE_FAILED');
    await assert.rejects(client.request('query { boards { id nonsense } }'), (err: unknown) =>
      /nonsense/.test(responseOf(err).errors?.[0]?.message ?? ''));
  });

  test('a wrong token is 401; Bearer prefix follows its knob', async () => {
    const bad = new ApiClient({ token: 'not-a-token', endpoint: `${fake.url}/v2` });
    await assert.rejects(bad.request('query { me { id } }'), (err: unknown) => responseOf(err).status === 401);
    const bearer = new ApiClient({ token: `Bearer ${SANDBOX_API_TOKEN}`, endpoint: `${fake.url}/v2` });
    const me = await bearer.operations.getMeOp();
    assert.equal(me.me?.name, 'Ada Lovelace');
    fake.ctx.knobs.acceptBearerPrefix = false;
    try {
      await assert.rejects(bearer.request('query { me { id } }'), (err: unknown) => responseOf(err).status === 401);
    } finally {
      fake.ctx.knobs.acceptBearerPrefix = true;
    }
  });

  test('complexity field reports the query cost and the budget', async () => {
    const res = await client.request<{ complexity: { before: number; after: number; query: number; reset_in_x_seconds: number }; boards: unknown[] }>(
      'query { complexity { before after query reset_in_x_seconds } boards(limit: 5) { id name } }');
    assert.equal(res.complexity.before - res.complexity.after, res.complexity.query);
    assert.ok(res.complexity.query >= 5);
    assert.ok(res.complexity.reset_in_x_seconds >= 1 && res.complexity.reset_in_x_seconds <= 60);
  });
});
