import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import { connector } from '../../src/connectors/wordpress/index.ts';
import type { ChangePage, ConnectorContext, ListOptions, ModelSpec, RecordChange } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { wordpress as wpScheme } from '../../src/webhooks/schemes/verify-wordpress.ts';
import { startWordPress } from '../../sandbox/wordpress/index.ts';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';

const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const model = (name: string) => connector.models[name] as ModelSpec;

let fake: Awaited<ReturnType<typeof startWordPress>>;
let client: ProviderClient;
let receiver: Receiver;

const ctx = (params: Record<string, unknown> = {}): ConnectorContext => ({ client, connection: { id: 'conn_wp', tenantId: 't1', provider: 'wordpress', config: { siteUrl: fake.url } }, params, log: pino({ level: 'silent' }) });
const field = <T = string>(r: RecordChange, k: string) => (r.record as Record<string, unknown>)[k] as T;

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(fake.url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  return res.json();
}

async function readAll(m: ModelSpec, opts: ListOptions = {}, params: Record<string, unknown> = {}) {
  const records: RecordChange[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let last: ChangePage | undefined;
  do {
    last = await m.list(ctx(params), { ...opts, cursor });
    records.push(...last.records);
    cursor = last.nextCursor;
    pages += 1;
  } while (cursor);
  return { records, pages, watermark: last.watermark };
}

before(async () => {
  fake = await startWordPress({ seed: { generate: { posts: 250, pages: 5, books: 20 } } });
  client = new ProviderClient({
    profile: profileFromCatalog(catalog.get('wordpress')!, { authMode: 'basic', connectionConfig: { siteUrl: fake.url } }),
    connectionId: 'conn_wp', tokens: staticToken(`${fake.credentials.username}:${fake.credentials.applicationPassword}`),
  });
  receiver = await startReceiver();
  await control('POST', '/_sandbox/webhooks/subscriptions', { url: receiver.url, secret: 'wp-hook-secret' });
});

after(async () => {
  await receiver.close();
  await fake.close();
});

test('posts, pages and a custom post type: full reads across pages, with the Gutenberg block tree', async () => {
  const posts = await readAll(model('posts'));
  assert.equal(posts.records.length, 250);
  assert.equal(posts.pages, 3);
  const first = posts.records[0]!;
  assert.match(field(first, 'content'), /<!-- wp:paragraph -->/);
  const blocks = field<Array<{ name: string; innerHTML: string }>>(first, 'blocks');
  assert.ok(blocks.length >= 1 && blocks.every((b) => b.name === 'core/paragraph'), JSON.stringify(blocks));
  assert.match(blocks[0]!.innerHTML, /<p>/);
  assert.equal(posts.watermark, posts.records.map((r) => field(r, 'modified')).sort().at(-1));

  const pages = await readAll(model('pages'), { pageSize: 2 });
  assert.deepEqual([pages.records.length, pages.pages], [5, 3]);
  const books = await readAll(model('items'), { pageSize: 8 }, { type: 'books' });
  assert.deepEqual([books.records.length, books.pages], [20, 3]);
  assert.ok(books.records.every((r) => field(r, 'type') === 'book'));
  const bySlug = await readAll(model('items'), { pageSize: 100 }, { postType: 'book' });
  assert.equal(bySlug.records.length, 20, 'params.postType resolves the REST base through /wp/v2/types');
});

test('posts, pages and books: an incremental read after an edit returns the edit', async () => {
  for (const [name, collection, params] of [['posts', 'posts', {}], ['pages', 'pages', {}], ['items', 'books', { type: 'books' }]] as const) {
    const full = await readAll(model(name), {}, params);
    const target = full.records[1]!;
    await control('PATCH', `/_sandbox/wordpress/${collection}/${target.id}`, { title: `Edited ${name}` });
    const inc = await readAll(model(name), { since: full.watermark! }, params);
    const newer = inc.records.filter((r) => field(r, 'modified') > full.watermark!);
    assert.deepEqual(newer.map((r) => r.id), [target.id], name);
    assert.equal(field(newer[0]!, 'title'), `Edited ${name}`);
    assert.ok(inc.records.length <= 2, `${name}: at most the overlap second repeats (${inc.records.length})`);
    assert.ok(inc.watermark! > full.watermark!);
  }
  const log = await control('GET', '/_sandbox/requests?pathPrefix=/wp-json/wp/v2/posts');
  const q = log.requests.filter((r: { query: Record<string, string> }) => r.query.modified_after).at(-1).query;
  assert.deepEqual([q.orderby, q.order, q.context, q.status], ['modified', 'asc', 'edit', 'any']);
});

test('posts: upserts one call each (create with blocks, update by id, match by slug); delete trashes, force deletes', async () => {
  await control('DELETE', '/_sandbox/requests');
  const posts = model('posts');
  const content = '<!-- wp:heading {"level":3} --><h3>Hi</h3><!-- /wp:heading -->\n\n<!-- wp:group --><div><!-- wp:paragraph --><p>In</p><!-- /wp:paragraph --></div><!-- /wp:group -->';
  const results = await posts.upsert!(ctx(), [
    { record: { title: 'Fresh', slug: 'fresh-post', content, status: 'draft' } },
    { id: '3', record: { title: 'Retitled' } },
    { matchField: 'slug', record: { slug: 'fresh-post', excerpt: 'matched' } },
  ]);
  assert.ok(results.length > posts.batchLimit);
  assert.ok(results.every((r) => r.ok), JSON.stringify(results));
  const [fresh, three, matched] = results as Array<{ ok: true; id: string; created: boolean }>;
  assert.deepEqual([fresh!.created, three!.created, matched!.created, matched!.id], [true, false, false, fresh!.id]);
  const got = (await posts.get(ctx(), fresh!.id))!;
  assert.equal(field(got, 'status'), 'draft');
  assert.equal(field(got, 'excerpt'), 'matched');
  assert.deepEqual(field<unknown[]>(got, 'blocks'), [
    { name: 'core/heading', attrs: { level: 3 }, innerHTML: '<h3>Hi</h3>', innerBlocks: [] },
    { name: 'core/group', attrs: {}, innerHTML: '<div></div>', innerBlocks: [{ name: 'core/paragraph', attrs: {}, innerHTML: '<p>In</p>', innerBlocks: [] }] },
  ]);
  assert.equal(field((await posts.get(ctx(), '3'))!, 'title'), 'Retitled');
  const log = await control('GET', '/_sandbox/requests?method=POST&pathPrefix=/wp-json/wp/v2/posts');
  assert.equal(log.count, 3, 'one write call per record');

  assert.deepEqual(await posts.delete!(ctx(), [fresh!.id]), [{ id: fresh!.id, ok: true }]);
  assert.equal(field((await posts.get(ctx(), fresh!.id))!, 'status'), 'trash', 'the default delete is the trash');
  assert.deepEqual(await posts.delete!(ctx(), [fresh!.id]), [{ id: fresh!.id, ok: true }], 'trashing twice is fine');
  assert.deepEqual(await posts.delete!(ctx({ force: true }), [fresh!.id]), [{ id: fresh!.id, ok: true }]);
  assert.equal(await posts.get(ctx(), fresh!.id), undefined, 'force=true deletes for good');
});

test('media: uploads raw bytes, lists across pages with source URLs, updates metadata, deletes for good', async () => {
  const media = model('media');
  const files = [1, 2, 3].map((i) => ({ record: { data: Buffer.from(`file ${i} bytes`).toString('base64'), filename: `note-${i}.txt`, mimeType: 'text/plain', altText: `alt ${i}` } }));
  const results = await media.upsert!(ctx(), files);
  assert.ok(results.every((r) => r.ok && r.created), JSON.stringify(results));
  const { records, pages } = await readAll(media, { pageSize: 2 });
  assert.deepEqual([records.length, pages], [3, 2]);
  const one = records[0]!;
  assert.equal(field(one, 'altText'), 'alt 1');
  assert.equal(field(one, 'mimeType'), 'text/plain');
  assert.equal(await (await fetch(field(one, 'sourceUrl'))).text(), 'file 1 bytes');
  const [upd] = await media.upsert!(ctx(), [{ id: one.id, record: { title: 'Renamed', altText: 'new alt' } }]);
  assert.ok(upd!.ok);
  const updated = (await media.get(ctx(), one.id))!;
  assert.deepEqual([field(updated, 'title'), field(updated, 'altText')], ['Renamed', 'new alt']);
  assert.deepEqual(await media.delete!(ctx(), [one.id]), [{ id: one.id, ok: true }]);
  assert.equal(await media.get(ctx(), one.id), undefined);
  assert.equal((await readAll(media)).records.length, 2);
});

test('users, categories and tags: full reads across pages; terms created one call each; a user deleted with reassign', async () => {
  const users = await readAll(model('users'), { pageSize: 3 });
  assert.deepEqual([users.records.length, users.pages], [4, 2]);
  assert.equal(field(users.records[0]!, 'email'), 'admin@example.com');
  assert.deepEqual(field(users.records[0]!, 'roles'), ['administrator']);

  for (const name of ['categories', 'tags']) {
    const m = model(name);
    const made = await m.upsert!(ctx(), ['Alpha', 'Beta', 'Gamma'].map((n) => ({ matchField: 'slug', record: { name: `${name} ${n}`, slug: `${name}-${n.toLowerCase()}` } })));
    assert.ok(made.every((r) => r.ok && r.created), JSON.stringify(made));
    const { records, pages } = await readAll(m, { pageSize: 2 });
    assert.ok(pages >= 2, `${name}: ${pages} pages`);
    assert.ok(records.some((r) => field(r, 'slug') === `${name}-beta`));
  }

  const usersModel = model('users');
  const [missing] = await usersModel.delete!(ctx(), ['4']);
  assert.equal(missing!.ok, false, 'without params.reassign the delete is refused before any call');
  assert.deepEqual(await usersModel.delete!(ctx({ reassign: 1 }), ['4']), [{ id: '4', ok: true }]);
  assert.equal(await usersModel.get(ctx(), '4'), undefined);
});

test('fromWebhook: signed plugin deliveries for a post update and a book delete become changes', async () => {
  const before = receiver.received.length;
  await control('PATCH', '/_sandbox/wordpress/posts/10', { title: 'Hooked' });
  const book = (await readAll(model('items'), {}, { type: 'books' })).records[0]!;
  await control('DELETE', `/_sandbox/wordpress/books/${book.id}`);
  const got = (await receiver.waitFor(before + 2)).slice(before);
  const changes = [];
  for (const r of got) {
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
    const req = { rawBody: Buffer.from(r.body), headers, method: 'POST', url: 'https://hub.example.com/hook' };
    assert.deepEqual(await wpScheme.verify(req, { secrets: ['wp-hook-secret'], options: {}, now: Date.now() }), { ok: true });
    const body = JSON.parse(r.body) as unknown;
    changes.push(...connector.fromWebhook!({ provider: 'wordpress', type: wpScheme.describe(req, body, { typeHeader: 'x-wp-webhook-trigger' }).type, body, headers }));
  }
  assert.deepEqual(changes, [{ model: 'posts', id: '10' }, { model: 'items', id: book.id, deleted: true, params: { postType: 'book' } }]);
  assert.equal(field((await model('posts').get(ctx(), '10'))!, 'title'), 'Hooked');
  assert.equal(await model('items').get(ctx(changes[1]!.params), book.id), undefined);
});

test('posts: a 429 burst and 20% 5xx still end in a complete read', async () => {
  await control('PATCH', '/_sandbox/knobs', { retryAfterSec: 0 });
  const expected = (await readAll(model('posts'))).records.length;
  // Apart: a 429 spends one of the client's five attempts, so both at once would leave completion to chance.
  for (const faults of [{ burst429: 3 }, { errorRate: 0.2, errorStatus: 503 }]) {
    await control('PUT', '/_sandbox/faults', faults);
    const { records } = await readAll(model('posts'), { pageSize: 25 });
    await control('PUT', '/_sandbox/faults', {});
    assert.equal(records.length, expected, JSON.stringify(faults));
  }
  const log = await control('GET', '/_sandbox/requests?method=GET');
  assert.ok(log.requests.some((r: { status: number }) => r.status === 429));
  assert.ok(log.requests.some((r: { status: number }) => r.status === 503));
});
