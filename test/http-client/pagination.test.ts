import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGithub } from '../../sandbox/github/index.ts';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { startMonday } from '../../sandbox/monday/index.ts';
import { startNotion } from '../../sandbox/notion/index.ts';
import { startSalesforce } from '../../sandbox/salesforce/index.ts';
import { startStripe } from '../../sandbox/stripe/index.ts';
import { startWordPress } from '../../sandbox/wordpress/index.ts';
import { ProviderClient, staticToken, type ProviderProfileInput, type ProviderRequest, type PageOptions } from '../../src/http-client/index.ts';

/*
 * Every pagination preset against a fake that pages that way, each walked to
 * the end in several pages: the ids must be the fake's whole list, once each.
 */
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers) await close();
});

async function walk(profile: ProviderProfileInput, token: string, req: ProviderRequest, options: PageOptions, idOf: (item: any) => string) {
  const client = new ProviderClient({ connectionId: `conn_${profile.provider}`, tokens: staticToken(token), profile });
  const pages: string[][] = [];
  for await (const page of client.pages(req, options)) pages.push(page.items.map(idOf));
  return { pages, ids: pages.flat() };
}

function assertWhole(ids: string[], expected: number, pages: string[][], minPages: number) {
  assert.equal(ids.length, expected);
  assert.equal(new Set(ids).size, expected, 'an item came twice');
  assert.ok(pages.length >= minPages, `only ${pages.length} pages`);
}

test('cursor (HubSpot paging.next.after), in the query and in a search body', async () => {
  const fake = await startHubSpot({ seed: { generate: { contacts: 25 } } });
  closers.push(() => fake.close());
  const profile: ProviderProfileInput = { provider: 'hubspot', baseUrl: fake.url, auth: { style: 'bearer' }, pagination: { preset: 'cursor' } };
  const list = await walk(profile, fake.credentials.accessToken!, { method: 'GET', path: '/crm/v3/objects/contacts' }, { limit: 10 }, (c) => c.id);
  assertWhole(list.ids, 25, list.pages, 3);
  assert.deepEqual(list.pages.map((p) => p.length), [10, 10, 5]);
  const search = await walk(profile, fake.credentials.accessToken!, { method: 'POST', path: '/crm/v3/objects/contacts/search', body: { filterGroups: [] } }, { limit: 10 }, (c) => c.id);
  assert.deepEqual(search.ids.sort(), list.ids.sort());
});

test('link header (GitHub rel="next")', async () => {
  const fake = await startGithub({ seed: { generate: { issues: 45 } } });
  closers.push(() => fake.close());
  const profile: ProviderProfileInput = {
    provider: 'github', baseUrl: fake.url, auth: { style: 'token' }, pagination: { preset: 'link' },
    defaultHeaders: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    rateLimits: [{ points: 5000, durationMs: 3_600_000 }],
    rateLimitHeaders: { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetFormat: 'epoch-seconds' },
  };
  const r = await walk(profile, fake.credentials.token!, { method: 'GET', path: '/repos/octocat/Hello-World/issues', query: { state: 'all' } }, { limit: 20 }, (i) => String(i.number));
  assert.ok(r.ids.length >= 45, `got ${r.ids.length} issues`);
  assertWhole(r.ids, r.ids.length, r.pages, 3);
});

test('next-url (Salesforce nextRecordsUrl)', async () => {
  const fake = await startSalesforce({ seed: { generate: { Lead: 450 } }, knobs: { queryBatchSize: 200 } });
  closers.push(() => fake.close());
  const profile: ProviderProfileInput = { provider: 'salesforce', baseUrl: `${fake.credentials.instanceUrl}/services/data/v66.0`, auth: { style: 'bearer' }, pagination: { preset: 'next-url' } };
  const r = await walk(profile, fake.credentials.accessToken!, { method: 'GET', path: '/query', query: { q: 'SELECT Id, LastName FROM Lead' } }, {}, (l) => l.Id);
  assertWhole(r.ids, 450, r.pages, 3);
});

test('monday-items-page (items_page, then next_items_page)', async () => {
  const fake = await startMonday({
    seed: { boards: [{ id: '900', name: 'Leads', columns: [{ id: 'email', title: 'Email', type: 'email' }], groups: [{ id: 'topics', title: 'Topics' }], items: Array.from({ length: 23 }, (_, i) => ({ name: `Lead ${i}`, column_values: {} })) }] },
  });
  closers.push(() => fake.close());
  const profile: ProviderProfileInput = {
    provider: 'monday', baseUrl: fake.url, auth: { style: 'header', header: 'authorization' },
    defaultHeaders: { 'api-version': '2025-07' }, pagination: { preset: 'monday-items-page' },
  };
  const query = 'query ($limit: Int) { boards(ids: [900]) { items_page(limit: $limit) { cursor items { id name } } } }';
  const r = await walk(profile, fake.credentials.apiToken!, { method: 'POST', path: '/v2', body: { query, variables: { limit: 10 } } }, { limit: 10, itemFields: 'id name' }, (i) => i.id);
  assertWhole(r.ids, 23, r.pages, 3);
});

test('offset (WordPress page/per_page with X-WP-TotalPages)', async () => {
  const fake = await startWordPress({ seed: { generate: { posts: 25 } } });
  closers.push(() => fake.close());
  const base = fake.credentials.baseUrl!;
  const profile: ProviderProfileInput = { provider: 'wordpress', baseUrl: base, auth: { style: 'basic' }, pagination: { preset: 'offset' } };
  const r = await walk(profile, `${fake.credentials.username}:${fake.credentials.applicationPassword}`, { method: 'GET', path: '/wp/v2/posts' }, { limit: 10 }, (p) => String(p.id));
  const total = Number((await fetch(`${base}/wp/v2/posts?per_page=1`)).headers.get('x-wp-total'));
  assertWhole(r.ids, total, r.pages, 3);
  assert.ok(total >= 25);
});

test('has-more-cursor (Notion start_cursor / next_cursor in a query body)', async () => {
  const fake = await startNotion({ seed: { databases: [{ id: '11111111-2222-3333-4444-555555555555', title: 'Leads', properties: [{ name: 'Name', type: 'title' }], pages: Array.from({ length: 27 }, (_, i) => ({ properties: { Name: { title: [{ text: { content: `P${i}` } }] } } })) }] } });
  closers.push(() => fake.close());
  const profile: ProviderProfileInput = { provider: 'notion', baseUrl: fake.url, auth: { style: 'bearer' }, defaultHeaders: { 'notion-version': '2022-06-28' }, pagination: { preset: 'has-more-cursor' } };
  const r = await walk(profile, fake.credentials.integrationToken!, { method: 'POST', path: '/v1/databases/11111111-2222-3333-4444-555555555555/query', body: {} }, { limit: 10 }, (p) => p.id);
  assertWhole(r.ids, 27, r.pages, 3);
});

test('starting-after (Stripe has_more with the last id)', async () => {
  const fake = await startStripe({ seed: { generate: { customers: 35 } } });
  closers.push(() => fake.close());
  const profile: ProviderProfileInput = { provider: 'stripe', baseUrl: fake.url, auth: { style: 'bearer' }, pagination: { preset: 'starting-after' } };
  const r = await walk(profile, fake.credentials.secretKey!, { method: 'GET', path: '/v1/customers' }, { limit: 10 }, (c) => c.id);
  assertWhole(r.ids, 35, r.pages, 4);
});

describe('page-token (Google nextPageToken, and next_page_token)', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];
  before(async () => {
    // The Google fake serves Sheets values, which do not page; this stands in for a Drive-style list.
    const items = Array.from({ length: 25 }, (_, i) => ({ id: `f${i}` }));
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      seen.push(req.headers.authorization ?? '');
      const snake = u.pathname === '/snake';
      const start = Number(u.searchParams.get(snake ? 'page_token' : 'pageToken') ?? 0);
      const size = Number(u.searchParams.get(snake ? 'page_size' : 'pageSize') ?? 10);
      const next = start + size < items.length ? String(start + size) : undefined;
      const body = snake ? { files: items.slice(start, start + size), next_page_token: next } : { files: items.slice(start, start + size), nextPageToken: next };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('camelCase', async () => {
    const profile: ProviderProfileInput = { provider: 'google', baseUrl: url, auth: { style: 'bearer' }, pagination: { preset: 'page-token', itemsPath: 'files' } };
    const r = await walk(profile, 'ya29.token', { method: 'GET', path: '/camel' }, { limit: 10 }, (f) => f.id);
    assertWhole(r.ids, 25, r.pages, 3);
    assert.ok(seen.every((h) => h === 'Bearer ya29.token'));
  });

  test('snake_case', async () => {
    const profile: ProviderProfileInput = {
      provider: 'google', baseUrl: url, auth: { style: 'bearer' },
      pagination: { preset: 'page-token', itemsPath: 'files', tokenParam: 'page_token', nextPath: 'next_page_token', limitParam: 'page_size' },
    };
    const r = await walk(profile, 'ya29.token', { method: 'GET', path: '/snake' }, { limit: 7 }, (f) => f.id);
    assertWhole(r.ids, 25, r.pages, 4);
  });
});
