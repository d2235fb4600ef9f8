import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWordPress } from './index.ts';

type Fake = Awaited<ReturnType<typeof startWordPress>>;
type Json = Record<string, any>;

describe('WordPress REST API (plain fetch against documented shapes)', () => {
  let fake: Fake;
  let api = '';
  let basic = '';
  before(async () => {
    fake = await startWordPress({ seed: { generate: { posts: 25, books: 3 }, posts: [
      { title: 'Old news', content: 'First line\n\nSecond para', date: '2023-01-01T00:00:00', modified: '2023-01-02T00:00:00' },
      { title: 'Secret draft', content: '<!-- wp:paragraph -->\n<p>wip</p>\n<!-- /wp:paragraph -->', status: 'draft' },
    ] } });
    api = fake.credentials.baseUrl!;
    basic = `Basic ${Buffer.from(`${fake.credentials.username}:${fake.credentials.applicationPassword}`).toString('base64')}`;
  });
  after(async () => fake.close());

  const get = (path: string, auth?: string) => fetch(`${api}${path}`, { headers: auth ? { authorization: auth } : {} });
  const send = (method: string, path: string, body: unknown, auth = basic) =>
    fetch(`${api}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('the /wp-json/ index names the site, namespaces and the application-password endpoint', async () => {
    const idx = await get('/').then((r) => r.json()) as Json;
    assert.equal(idx.name, 'Switchyard Sandbox');
    assert.ok(idx.namespaces.includes('wp/v2'));
    assert.equal(idx.authentication['application-passwords'].endpoints.authorization, `${fake.url}/wp-admin/authorize-application.php`);
    assert.ok(idx.routes['/wp/v2/posts']);
    const missing = await get('/wp/v2/nope');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Json).code, 'rest_no_route');
  });

  test('pagination walks several pages by Link rel=next with X-WP-Total and X-WP-TotalPages', async () => {
    let url: string | undefined = `${api}/wp/v2/posts?per_page=10&_fields=id,title`;
    const ids: number[] = [];
    const seenPrev: boolean[] = [];
    let pages = 0;
    while (url) {
      const res: Response = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-wp-total'), '26');
      assert.equal(res.headers.get('x-wp-totalpages'), '3');
      const batch = await res.json() as { id: number; title: { rendered: string } }[];
      ids.push(...batch.map((p) => p.id));
      assert.deepEqual(Object.keys(batch[0]!).sort(), ['id', 'title']);
      const link = res.headers.get('link') ?? '';
      seenPrev.push(link.includes('rel="prev"'));
      url = /<([^>]+)>; rel="next"/.exec(link)?.[1];
      if (url) assert.match(url, /per_page=10/);
      pages += 1;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seenPrev, [false, true, true]);
    assert.equal(ids.length, 26);
    assert.equal(new Set(ids).size, 26);
    const past = await get('/wp/v2/posts?per_page=10&page=4');
    assert.equal(past.status, 400);
    assert.deepEqual(await past.json(), { code: 'rest_post_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } });
    const tooBig = await get('/wp/v2/posts?per_page=101');
    assert.equal(tooBig.status, 400);
    const body = await tooBig.json() as Json;
    assert.equal(body.code, 'rest_invalid_param');
    assert.equal(body.data.params.per_page, 'per_page must be between 1 (inclusive) and 100 (inclusive)');
  });

  test('modified_after, search and status filters', async () => {
    const recent = await get('/wp/v2/posts?modified_after=2023-06-01T00:00:00&per_page=100').then((r) => r.json()) as Json[];
    assert.equal(recent.length, 25);
    assert.ok(recent.every((p) => p.modified > '2023-06-01T00:00:00'));
    const found = await get('/wp/v2/posts?search=old%20news').then((r) => r.json()) as Json[];
    assert.deepEqual(found.map((p) => p.title.rendered), ['Old news']);
    const anon = await get('/wp/v2/posts?status=draft');
    assert.equal(anon.status, 401);
    assert.equal(((await anon.json()) as Json).code, 'rest_forbidden_status');
    const drafts = await get('/wp/v2/posts?status=draft', basic).then((r) => r.json()) as Json[];
    assert.deepEqual(drafts.map((p) => p.title.rendered), ['Secret draft']);
  });

  test('context=edit gives content.raw with block comments; view gives only rendered', async () => {
    const draft = (await get('/wp/v2/posts?status=draft&context=edit', basic).then((r) => r.json()) as Json[])[0]!;
    assert.equal(draft.content.raw, '<!-- wp:paragraph -->\n<p>wip</p>\n<!-- /wp:paragraph -->');
    assert.equal(draft.content.rendered, '<p>wip</p>\n');
    assert.equal(draft.content.block_version, 1);
    const view = (await get('/wp/v2/posts?search=old').then((r) => r.json()) as Json[])[0]!;
    assert.equal(view.content.raw, undefined);
    assert.equal(view.content.rendered, '<p>First line</p>\n<p>Second para</p>\n');
    const forbidden = await get('/wp/v2/posts?context=edit');
    assert.equal(forbidden.status, 401);
    assert.equal(((await forbidden.json()) as Json).code, 'rest_forbidden_context');
    const hidden = await get(`/wp/v2/posts/${draft.id}`);
    assert.equal(hidden.status, 401);
    assert.deepEqual(await hidden.json(), { code: 'rest_forbidden', message: 'Sorry, you are not allowed to do that.', data: { status: 401 } });
  });

  test('Basic auth failures: wrong password, unknown user, no login for users/me, subscriber forbidden', async () => {
    const wrong = await get('/wp/v2/posts', `Basic ${Buffer.from('admin:aaaa bbbb cccc dddd eeee ffff').toString('base64')}`);
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { code: 'incorrect_password', message: 'The provided password is an invalid application password.', data: { status: 401 } });
    const nobody = await get('/wp/v2/posts', `Basic ${Buffer.from('ghost:x').toString('base64')}`);
    assert.equal(((await nobody.json()) as Json).code, 'invalid_username');
    const anon = await get('/wp/v2/users/me');
    assert.equal(anon.status, 401);
    assert.deepEqual(await anon.json(), { code: 'rest_not_logged_in', message: 'You are not currently logged in.', data: { status: 401 } });
    const noSpaces = `Basic ${Buffer.from(`admin:${fake.credentials.applicationPassword!.replace(/ /g, '')}`).toString('base64')}`;
    const me = await get('/wp/v2/users/me?context=edit', noSpaces).then((r) => r.json()) as Json;
    assert.equal(me.username, 'admin');
    assert.deepEqual(me.roles, ['administrator']);
    const anonCreate = await fetch(`${api}/wp/v2/posts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' });
    assert.equal(anonCreate.status, 401);
    assert.equal(((await anonCreate.json()) as Json).code, 'rest_cannot_create');
  });

  test('create 201, update, trash, then force delete', async () => {
    const created = await send('POST', '/wp/v2/posts', { title: 'Hello "world"', content: '<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->', status: 'publish' });
    assert.equal(created.status, 201);
    const post = await created.json() as Json;
    assert.equal(created.headers.get('location'), `${api}/wp/v2/posts/${post.id}`);
    assert.equal(post.title.raw, 'Hello "world"');
    assert.equal(post.title.rendered, 'Hello &#8220;world&#8221;');
    assert.equal(post.slug, 'hello-world');
    assert.deepEqual(post.categories, [1]);
    const updated = await send('PATCH', `/wp/v2/posts/${post.id}`, { title: { raw: 'Renamed' } }).then((r) => r.json()) as Json;
    assert.equal(updated.title.raw, 'Renamed');
    assert.ok(updated.modified >= post.modified);
    const trashed = await fetch(`${api}/wp/v2/posts/${post.id}`, { method: 'DELETE', headers: { authorization: basic } });
    assert.equal(trashed.status, 200);
    assert.equal(((await trashed.json()) as Json).status, 'trash');
    const again = await fetch(`${api}/wp/v2/posts/${post.id}`, { method: 'DELETE', headers: { authorization: basic } });
    assert.equal(again.status, 410);
    assert.equal(((await again.json()) as Json).code, 'rest_already_trashed');
    const forced = await fetch(`${api}/wp/v2/posts/${post.id}?force=true`, { method: 'DELETE', headers: { authorization: basic } }).then((r) => r.json()) as Json;
    assert.equal(forced.deleted, true);
    assert.equal(forced.previous.id, post.id);
    const gone = await get(`/wp/v2/posts/${post.id}`, basic);
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as Json).code, 'rest_post_invalid_id');
  });

  test('pages, the book custom post type, categories and tags', async () => {
    const page = await send('POST', '/wp/v2/pages', { title: 'About', status: 'publish', menu_order: 2 }).then((r) => r.json()) as Json;
    assert.equal(page.type, 'page');
    assert.equal(page.menu_order, 2);
    assert.equal(page.categories, undefined);
    const books = await get('/wp/v2/books');
    assert.equal(books.headers.get('x-wp-total'), '3');
    const book = await send('POST', '/wp/v2/books', { title: 'Dune', status: 'publish' }).then((r) => r.json()) as Json;
    assert.equal(book.type, 'book');
    assert.equal(book.link, `${fake.url}/book/dune/`);
    const tag = await send('POST', '/wp/v2/tags', { name: 'Sci Fi' });
    assert.equal(tag.status, 201);
    const tagId = ((await tag.json()) as Json).id as number;
    const tagged = await send('POST', '/wp/v2/posts', { title: 'Tagged', status: 'publish', tags: [tagId] }).then((r) => r.json()) as Json;
    const byTag = await get(`/wp/v2/posts?tags=${tagId}`).then((r) => r.json()) as Json[];
    assert.deepEqual(byTag.map((p) => p.id), [tagged.id]);
    const cats = await get('/wp/v2/categories').then((r) => r.json()) as Json[];
    assert.equal(cats[0]?.slug, 'uncategorized');
    const types = await get('/wp/v2/types').then((r) => r.json()) as Json;
    assert.equal(types.book.rest_base, 'books');
  });

  test('media upload with Content-Disposition and raw bytes; the file is served back', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const res = await fetch(`${api}/wp/v2/media`, { method: 'POST', headers: { authorization: basic, 'content-type': 'image/png', 'content-disposition': 'attachment; filename="logo.png"' }, body: bytes });
    assert.equal(res.status, 201);
    const media = await res.json() as Json;
    assert.equal(media.type, 'attachment');
    assert.equal(media.mime_type, 'image/png');
    assert.equal(media.media_type, 'image');
    assert.equal(media.media_details.filesize, bytes.length);
    const served = Buffer.from(await (await fetch(media.source_url)).arrayBuffer());
    assert.deepEqual(served, bytes);
    const noName = await fetch(`${api}/wp/v2/media`, { method: 'POST', headers: { authorization: basic, 'content-type': 'image/png' }, body: bytes });
    assert.equal(((await noName.json()) as Json).code, 'rest_upload_no_content_disposition');
    const trash = await fetch(`${api}/wp/v2/media/${media.id}`, { method: 'DELETE', headers: { authorization: basic } });
    assert.equal(trash.status, 501);
    assert.equal(((await trash.json()) as Json).code, 'rest_trash_not_supported');
    fake.ctx.state.users.get(4)!.appPasswords.push({ uuid: 'sub', name: 'test', password: 'SubscriberPassword000000', created: '2024-01-01T00:00:00', lastUsed: null });
    const subscriber = `Basic ${Buffer.from('subscriber:Subs crib erPa sswo rd00 0000').toString('base64')}`;
    const denied = await fetch(`${api}/wp/v2/media`, { method: 'POST', headers: { authorization: subscriber, 'content-disposition': 'attachment; filename=a.txt', 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as Json).code, 'rest_cannot_create');
  });
});
