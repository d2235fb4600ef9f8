import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from '@octokit/webhooks-methods';
import { pino } from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { connector } from '../../src/connectors/github/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import type { ChangePage, ConnectorContext, ModelSpec } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';
import { startGithub } from '../../sandbox/github/index.ts';

/**
 * The GitHub connector against the sandbox fake over real HTTP: Link-header
 * pages for every model, incremental reads after a change made "in the UI",
 * one-call-per-record writes, issue close as delete, signed deliveries turned
 * into changes, and the client riding out rate limits and faults.
 */
const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const fake = await startGithub();
const log = pino({ level: 'silent' });
const REPO = { owner: 'octocat', repo: 'Hello-World' };
const SECRET = 'It\'s a Secret to Everybody';
let receiver: Receiver;

function context(params: Record<string, unknown> = REPO): ConnectorContext {
  const entry = catalog.get('github')!;
  const connectionConfig = { baseUrl: fake.url };
  const client = new ProviderClient({ profile: profileFromCatalog(entry, { authMode: 'oauth2', connectionConfig }), connectionId: 'conn_gh_test', tokens: staticToken(fake.credentials.token!) });
  return { client, connection: { id: 'conn_gh_test', tenantId: 'ten_test', provider: 'github', config: {} }, params, log };
}

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${fake.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function requests(method: string, pathPrefix: string): Promise<Array<{ path: string; status: number; query: Record<string, string> }>> {
  return (await control('GET', `/_sandbox/requests?method=${method}&pathPrefix=${encodeURIComponent(pathPrefix)}`)).requests;
}

async function readAll(model: ModelSpec, ctx: ConnectorContext, since: string | null, pageSize?: number) {
  const pages: ChangePage[] = [];
  let cursor: string | null = null;
  do {
    const page: ChangePage = await model.list(ctx, { since, cursor, ...(pageSize ? { pageSize } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return { pages, records: pages.flatMap((p) => p.records), ids: pages.flatMap((p) => p.records.map((r) => r.id)), watermark: pages.at(-1)!.watermark };
}

const models = connector.models;

before(async () => {
  receiver = await startReceiver();
  await control('POST', '/_sandbox/seed', {
    repos: ['Spoon-Knife', 'linguist', 'octo-cli', 'dotfiles'].map((name) => ({ owner: 'octocat', name })),
    generate: { issues: 150, pulls: 120, commits: 150, runs: 150 },
  });
  await control('PATCH', '/_sandbox/knobs', { searchLimit: 1000 });
  await control('POST', '/_sandbox/webhooks/subscriptions', { url: receiver.url, events: [], secret: SECRET });
});

after(async () => {
  await receiver.close();
  await fake.close();
});

/** Waits for the next signed delivery of `event`, checks its signature and returns it as the hub stores it. */
async function delivery(event: string, from: number) {
  const [got] = (await receiver.waitFor(from + 1)).slice(from).filter((r) => r.headers['x-github-event'] === event);
  assert.ok(got, `a ${event} delivery arrived`);
  assert.ok(await verify(SECRET, got.body, String(got.headers['x-hub-signature-256'])), 'signed by the fake with the subscription secret');
  const body = JSON.parse(got.body) as { action?: string };
  return { provider: 'github', type: body.action ? `${event}.${body.action}` : event, body, headers: Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)])) };
}

describe('issues', () => {
  test('full list across pages leaves pull requests out; incremental read after UI edits returns exactly those issues', async () => {
    const ctx = context();
    await control('DELETE', '/_sandbox/requests');
    const full = await readAll(models.issues!, ctx, null, 50);
    assert.equal(full.pages.length, 6, '270 issues and pull requests in pages of 50');
    assert.equal(new Set(full.ids).size, 150);
    assert.ok(full.records.every((r) => /^\d+$/.test(r.id) && r.record.number === Number(r.id)));
    const calls = await requests('GET', '/repos/octocat/Hello-World/issues');
    assert.deepEqual([calls[0]!.query.state, calls[0]!.query.per_page], ['all', '50']);

    const target = full.records[100]!;
    await control('PATCH', `/_sandbox/github/repos/octocat/Hello-World/issues/${target.id}`, { title: 'Edited in the UI' });
    const opened = await control('POST', '/_sandbox/github/repos/octocat/Hello-World/issues', { title: 'Opened in the UI' });
    const inc = await readAll(models.issues!, ctx, full.watermark!);
    assert.deepEqual(inc.ids.sort(), [String(opened.number), target.id].sort());
    assert.equal(inc.records.find((r) => r.id === target.id)!.record.title, 'Edited in the UI');
    assert.equal(new Date(String((await requests('GET', '/repos/octocat/Hello-World/issues')).at(-1)!.query.since)).getTime() > 0, true, 'since is sent');
    assert.deepEqual((await readAll(models.issues!, ctx, inc.watermark!)).ids, [], 'no change since the newest watermark');
  });

  test('upsert of more than the batch limit of 1: one call per record, a bad record fails alone', async () => {
    const ctx = context();
    await control('DELETE', '/_sandbox/requests');
    const results = await models.issues!.upsert!(ctx, [
      { record: { title: 'Created A', body: 'from the hub', labels: ['hub'] } },
      { record: { body: 'no title' } },
      { record: { title: 'Created B' } },
      { id: '1', record: { title: 'Renamed #1', state: 'closed' } },
    ]);
    assert.equal(models.issues!.batchLimit, 1);
    assert.ok(results[0]!.ok && results[0]!.created && results[2]!.ok && results[2]!.created);
    assert.ok(!results[1]!.ok && /Validation Failed/.test(results[1]!.error) && !results[1]!.retryable, JSON.stringify(results[1]));
    assert.deepEqual(results[3], { ok: true, id: '1', created: false, modifiedAt: (results[3] as { modifiedAt: number }).modifiedAt });
    assert.equal((await requests('POST', '/repos/octocat/Hello-World/issues')).length, 3);
    assert.equal((await requests('PATCH', '/repos/octocat/Hello-World/issues/1')).length, 1);
    const a = await models.issues!.get(ctx, (results[0] as { id: string }).id);
    assert.deepEqual([a?.record.title, a?.record.labels], ['Created A', ['hub']]);
    const one = await models.issues!.get(ctx, '1');
    assert.deepEqual([one?.record.title, one?.record.state], ['Renamed #1', 'closed']);
  });

  test('delete closes the issue as not planned (GitHub has no REST delete)', async () => {
    const ctx = context();
    const created = await models.issues!.upsert!(ctx, [{ record: { title: 'Doomed 1' } }, { record: { title: 'Doomed 2' } }]);
    const ids = created.map((r) => (r as { id: string }).id);
    const results = await models.issues!.delete!(ctx, [...ids, '99999']);
    assert.deepEqual(results.slice(0, 2), ids.map((id) => ({ id, ok: true })));
    assert.ok(!results[2]!.ok && !results[2]!.retryable, 'a missing issue fails on its own');
    for (const id of ids) {
      const got = await models.issues!.get(ctx, id);
      assert.deepEqual([got?.record.state, got?.record.stateReason], ['closed', 'not_planned']);
    }
  });

  test('a signed issues delivery becomes a change that get() reads', async () => {
    const from = receiver.received.length;
    const opened = await control('POST', '/_sandbox/github/repos/octocat/Hello-World/issues', { title: 'Hooked', body: 'via webhook' });
    const event = await delivery('issues', from);
    assert.equal(event.type, 'issues.opened');
    const changes = connector.fromWebhook!(event);
    assert.deepEqual(changes, [{ model: 'issues', id: String(opened.number), params: REPO }]);
    const got = await models.issues!.get(context(changes[0]!.params), changes[0]!.id);
    assert.equal(got?.record.body, 'via webhook');
  });
});

describe('pull_requests', () => {
  test('full list across pages, then an incremental read stops at the watermark with exactly the changed one', async () => {
    const ctx = context();
    const full = await readAll(models.pull_requests!, ctx, null, 50);
    assert.equal(full.pages.length, 3);
    assert.equal(new Set(full.ids).size, 120);
    const target = full.records[80]!;
    await control('PATCH', `/_sandbox/github/repos/octocat/Hello-World/issues/${target.id}`, { state: 'closed' });
    await control('DELETE', '/_sandbox/requests');
    const inc = await readAll(models.pull_requests!, ctx, full.watermark!, 50);
    assert.deepEqual(inc.ids, [target.id]);
    assert.equal(inc.records[0]!.record.state, 'closed');
    assert.equal((await requests('GET', '/repos/octocat/Hello-World/pulls')).length, 1, 'stopped on the first page');
    assert.equal((await models.pull_requests!.get(ctx, target.id))?.record.state, 'closed');
    assert.equal(await models.issues!.get(ctx, target.id), undefined, 'a pull request is not an issue');
  });
});

describe('commits', () => {
  test('full list across pages; a push is read incrementally and its delivery names the commits', async () => {
    const ctx = context();
    const full = await readAll(models.commits!, ctx, null, 50);
    assert.equal(full.pages.length, 3);
    assert.equal(new Set(full.ids).size, 150);
    const from = receiver.received.length;
    const pushed = await control('POST', '/_sandbox/github/repos/octocat/Hello-World/push', { commits: [{ message: 'one', modified: ['a'] }, { message: 'two', added: ['b'] }] });
    const inc = await readAll(models.commits!, ctx, full.watermark!);
    assert.deepEqual(inc.ids.sort(), [...pushed.commits].sort());
    const event = await delivery('push', from);
    const changes = connector.fromWebhook!(event);
    assert.deepEqual(changes.map((c) => c.id).sort(), [...pushed.commits].sort());
    assert.ok(changes.every((c) => c.model === 'commits' && c.params?.owner === 'octocat'));
    assert.equal((await models.commits!.get(ctx, changes[0]!.id))?.record.sha, changes[0]!.id);
    assert.equal(await models.commits!.get(ctx, 'deadbeef'), undefined);
  });
});

describe('releases', () => {
  test('create more than the batch limit, list across pages, a duplicate tag fails alone', async () => {
    const ctx = context();
    await control('DELETE', '/_sandbox/requests');
    const inputs = ['v1.0.0', 'v1.1.0', 'v1.1.0', 'v2.0.0', 'v2.1.0', 'v3.0.0'].map((tagName) => ({ record: { tagName, name: `Release ${tagName}` } }));
    const results = await models.releases!.upsert!(ctx, inputs as never);
    assert.equal(results.filter((r) => r.ok && r.created).length, 5);
    assert.ok(!results[2]!.ok && /already_exists/.test(results[2]!.error));
    assert.equal((await requests('POST', '/repos/octocat/Hello-World/releases')).length, 6);
    const full = await readAll(models.releases!, ctx, null, 2);
    assert.equal(full.pages.length, 3);
    assert.equal(full.ids.length, 5);
    assert.equal(full.watermark, null, 'full reads: the engine diffs');
    const id = (results[0] as { id: string }).id;
    assert.equal((await models.releases!.get(ctx, id))?.record.tagName, 'v1.0.0');
    const update = await models.releases!.upsert!(ctx, [{ id, record: { name: 'x' } as never }]);
    assert.ok(!update[0]!.ok && !update[0]!.retryable, 'editing releases is not supported');
  });
});

describe('workflow_runs', () => {
  test('full list across pages and get by id', async () => {
    const ctx = context();
    const full = await readAll(models.workflow_runs!, ctx, null, 50);
    assert.equal(full.pages.length, 3);
    assert.equal(new Set(full.ids).size, 150);
    const run = full.records[7]!;
    assert.deepEqual((await models.workflow_runs!.get(ctx, run.id))?.record, run.record);
  });
});

describe('repositories', () => {
  test('full list across pages; a new issue shows in the next full read', async () => {
    const ctx = context({});
    const full = await readAll(models.repositories!, ctx, null, 2);
    assert.equal(full.pages.length, 3);
    assert.equal(full.ids.length, 5);
    const hello = full.records.find((r) => r.record.name === 'Hello-World')!;
    await control('POST', '/_sandbox/github/repos/octocat/Hello-World/issues', { title: 'count me' });
    const again = await readAll(models.repositories!, ctx, null, 2);
    const after = again.records.find((r) => r.id === hello.id)!;
    assert.equal(after.record.openIssuesCount, (hello.record.openIssuesCount as number) + 1);
    assert.equal((await models.repositories!.get(ctx, hello.id))?.record.fullName, 'octocat/Hello-World');
  });
});

describe('issue_search', () => {
  test('search across pages, then incrementally with updated:>=', async () => {
    const ctx = context({ q: 'repo:octocat/Hello-World is:issue label:bug' });
    const full = await readAll(models.issue_search!, ctx, null, 20);
    assert.ok(full.pages.length >= 3, `${full.pages.length} pages`);
    assert.ok(full.records.every((r) => (r.record.labels as string[]).includes('bug') && !r.record.isPullRequest));
    const target = full.records[25]!;
    await control('PATCH', `/_sandbox/github/repos/octocat/Hello-World/issues/${target.record.number}`, { title: 'Found again' });
    const inc = await readAll(models.issue_search!, ctx, full.watermark!);
    assert.deepEqual(inc.ids, [target.id]);
    assert.match(String((await requests('GET', '/search/issues')).at(-1)!.query.q), /updated:>=/);
    assert.equal((await models.issue_search!.get(ctx, target.id))?.record.title, 'Found again');
  });
});

describe('webhooks without a fake event', () => {
  test('pull_request, release and deleted issues map to their models', () => {
    const repository = { name: 'Hello-World', owner: { login: 'octocat' } };
    const headers = {};
    assert.deepEqual(connector.fromWebhook!({ provider: 'github', type: 'pull_request.synchronize', headers, body: { action: 'synchronize', repository, pull_request: { number: 7 } } }), [{ model: 'pull_requests', id: '7', params: REPO }]);
    assert.deepEqual(connector.fromWebhook!({ provider: 'github', type: 'release.deleted', headers, body: { action: 'deleted', repository, release: { id: 42 } } }), [{ model: 'releases', id: '42', params: REPO, deleted: true }]);
    assert.deepEqual(connector.fromWebhook!({ provider: 'github', type: 'issues.deleted', headers, body: { action: 'deleted', repository, issue: { number: 3 } } }), [{ model: 'issues', id: '3', params: REPO, deleted: true }]);
    assert.deepEqual(connector.fromWebhook!({ provider: 'github', type: 'ping', headers, body: { zen: 'Keep it logically awesome.', repository } }), []);
  });
});

describe('rate limits and faults', () => {
  test('a 403 with x-ratelimit-remaining 0 is a limit: the read waits for the reset and completes', async () => {
    await control('PATCH', '/_sandbox/knobs', { userLimit: 3, coreWindowMs: 1000, rateLimitStatus: 403 });
    await control('POST', '/_sandbox/github/rate-limit/reset');
    try {
      // Someone else spends the token's budget, so the client's first answer is the limit itself.
      let last = 0;
      for (let i = 0; i < 4; i += 1) last = (await fetch(`${fake.url}/user`, { headers: { authorization: `token ${fake.credentials.token}` } })).status;
      assert.equal(last, 403);
      await control('DELETE', '/_sandbox/requests');
      const { ids } = await readAll(models.workflow_runs!, context(), null, 50);
      assert.equal(new Set(ids).size, 150);
      const limited = (await requests('GET', '/repos/octocat/Hello-World/actions/runs')).filter((r) => r.status === 403);
      assert.ok(limited.length >= 1, `${limited.length} rate-limited answers were retried`);
    } finally {
      await control('PATCH', '/_sandbox/knobs', { userLimit: 5000, coreWindowMs: 3_600_000 });
      await control('POST', '/_sandbox/github/rate-limit/reset');
    }
  });

  test('a 429 burst and 20% 5xx still complete a list', async () => {
    // GitHub's 429 says to come back at x-ratelimit-reset: a short window keeps that wait short.
    await control('PATCH', '/_sandbox/knobs', { coreWindowMs: 1000 });
    await control('PUT', '/_sandbox/faults', { burst429: 2, errorRate: 0.2, errorStatus: 502 });
    try {
      const { ids } = await readAll(models.commits!, context(), null, 50);
      assert.ok(new Set(ids).size >= 150);
    } finally {
      await control('PUT', '/_sandbox/faults', {});
      await control('PATCH', '/_sandbox/knobs', { coreWindowMs: 3_600_000 });
    }
  });
});
