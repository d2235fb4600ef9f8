import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { RequestError } from '@octokit/request-error';
import { startGithub } from './index.ts';

/** Conformance: the official @octokit/rest client, pointed at the fake by baseUrl only. */
describe('github fake with @octokit/rest', () => {
  let fake: Awaited<ReturnType<typeof startGithub>>;
  let octokit: Octokit;

  before(async () => {
    fake = await startGithub({ seed: { generate: { issues: 75, pulls: 5 } } });
    octokit = new Octokit({ auth: fake.credentials.token, baseUrl: fake.url });
  });
  after(() => fake.close());

  test('paginate walks every page of issues.listForRepo through Link headers', async () => {
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: 'octocat', repo: 'Hello-World', state: 'all', per_page: 20 });
    assert.equal(all.length, 80);
    assert.equal(new Set(all.map((i) => i.number)).size, 80);
    assert.equal(all.filter((i) => i.pull_request).length, 5);
    const pages = fake.ctx.log.entries.filter((e) => e.path.endsWith('/issues') && e.method === 'GET');
    assert.equal(pages.length, 4);
    assert.ok(pages.slice(1).every((e) => e.path.startsWith('/repositories/')), 'follows GitHub-style /repositories/{id} links');
  });

  test('Link header lists prev, next, last, first in GitHub order', async () => {
    const res = await fetch(`${fake.url}/repos/octocat/Hello-World/issues?state=all&per_page=10&page=3`, { headers: { authorization: `token ${fake.credentials.token}` } });
    const repoId = (await octokit.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' })).data.id;
    const u = (p: number) => `<${fake.url}/repositories/${repoId}/issues?state=all&per_page=10&page=${p}>`;
    assert.equal(res.headers.get('link'), `${u(2)}; rel="prev", ${u(4)}; rel="next", ${u(8)}; rel="last", ${u(1)}; rel="first"`);
    const first = await fetch(`${fake.url}/repos/octocat/Hello-World/issues?state=all&per_page=100`, { headers: { authorization: `Bearer ${fake.credentials.token}` } });
    assert.equal(first.headers.get('link'), null, 'a single page has no Link header');
    assert.equal(((await first.json()) as unknown[]).length, 80);
  });

  test('per_page defaults to 30 and caps at 100; state defaults to open', async () => {
    const def = await octokit.rest.issues.listForRepo({ owner: 'octocat', repo: 'Hello-World', state: 'all' });
    assert.equal(def.data.length, 30);
    const capped = await octokit.rest.issues.listForRepo({ owner: 'octocat', repo: 'Hello-World', state: 'all', per_page: 500 });
    assert.equal(capped.data.length, 80);
    const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: 'octocat', repo: 'Hello-World', per_page: 100 });
    assert.ok(open.every((i) => i.state === 'open'));
    assert.ok(open.length < 80);
  });

  test('since keeps only issues updated at or after the instant', async () => {
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: 'octocat', repo: 'Hello-World', state: 'all', per_page: 100 });
    const cut = [...all].map((i) => i.updated_at).sort()[40]!;
    const recent = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: 'octocat', repo: 'Hello-World', state: 'all', since: cut, sort: 'updated', direction: 'asc' });
    assert.equal(recent.length, all.filter((i) => i.updated_at >= cut).length);
    assert.ok(recent.every((i) => i.updated_at >= cut));
    const times = recent.map((i) => i.updated_at);
    assert.deepEqual(times, [...times].sort());
  });

  test('issues.create then issues.update round-trip and show up in get', async () => {
    const created = await octokit.rest.issues.create({ owner: 'octocat', repo: 'Hello-World', title: 'Found a bug', body: 'It breaks', labels: ['bug'] });
    assert.equal(created.status, 201);
    assert.equal(created.data.user?.login, 'octocat');
    assert.deepEqual(created.data.labels.map((l) => (typeof l === 'string' ? l : l.name)), ['bug']);
    const updated = await octokit.rest.issues.update({ owner: 'octocat', repo: 'Hello-World', issue_number: created.data.number, state: 'closed', title: 'Found a bug (fixed)' });
    assert.equal(updated.data.state, 'closed');
    assert.equal(updated.data.state_reason, 'completed');
    const got = await octokit.rest.issues.get({ owner: 'octocat', repo: 'Hello-World', issue_number: created.data.number });
    assert.equal(got.data.title, 'Found a bug (fixed)');
    assert.ok(got.data.closed_at);
  });

  test('issues.create without a title is a 422 Validation Failed', async () => {
    await assert.rejects(
      octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'octocat', repo: 'Hello-World', body: 'no title' } as never),
      (err: RequestError) => err.status === 422 && (err.response?.data as { message: string }).message === 'Validation Failed',
    );
  });

  test('repos.get, pulls, commits, releases and workflow runs', async () => {
    const repo = await octokit.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' });
    assert.equal(repo.data.full_name, 'octocat/Hello-World');
    assert.equal(repo.data.owner.login, 'octocat');
    assert.ok(repo.headers['x-ratelimit-limit']);
    const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner: 'octocat', repo: 'Hello-World', state: 'all', per_page: 2 });
    assert.equal(pulls.length, 5);
    const pr = await octokit.rest.pulls.get({ owner: 'octocat', repo: 'Hello-World', pull_number: pulls[0]!.number });
    assert.equal(pr.data.base.ref, 'main');
    const rel = await octokit.rest.repos.createRelease({ owner: 'octocat', repo: 'Hello-World', tag_name: 'v1.0.0', name: 'One' });
    assert.equal(rel.status, 201);
    const rels = await octokit.rest.repos.listReleases({ owner: 'octocat', repo: 'Hello-World' });
    assert.deepEqual(rels.data.map((r) => r.tag_name), ['v1.0.0']);
    await fetch(`${fake.url}/_sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ generate: { commits: 7, runs: 3 } }) });
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, { owner: 'octocat', repo: 'Hello-World', per_page: 3 });
    assert.equal(commits.length, 7);
    const since = commits[2]!.commit.author!.date!;
    const newer = await octokit.rest.repos.listCommits({ owner: 'octocat', repo: 'Hello-World', since });
    assert.equal(newer.data.length, 3);
    const runs = await octokit.rest.actions.listWorkflowRunsForRepo({ owner: 'octocat', repo: 'Hello-World', per_page: 2 });
    assert.equal(runs.data.total_count, 3);
    assert.equal(runs.data.workflow_runs.length, 2);
    const allRuns = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, { owner: 'octocat', repo: 'Hello-World', per_page: 2 });
    assert.equal(allRuns.length, 3);
  });

  test('search.issuesAndPullRequests understands qualifiers and paginates', async () => {
    const res = await octokit.rest.search.issuesAndPullRequests({ q: 'repo:octocat/Hello-World is:pr', per_page: 2 });
    assert.equal(res.data.total_count, 5);
    assert.equal(res.data.incomplete_results, false);
    assert.equal(res.data.items.length, 2);
    assert.equal(res.headers['x-ratelimit-resource'], 'search');
    const bugs = await octokit.paginate(octokit.rest.search.issuesAndPullRequests, { q: 'repo:octocat/Hello-World is:issue label:bug', per_page: 10 });
    assert.ok(bugs.length > 0);
    assert.ok(bugs.every((i) => !i.pull_request && i.labels.some((l) => l.name === 'bug')));
  });

  test('bad credentials are a 401 with GitHub\'s body', async () => {
    const bad = new Octokit({ auth: 'ghp_nope', baseUrl: fake.url });
    await assert.rejects(bad.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' }), (err: RequestError) => {
      assert.equal(err.status, 401);
      assert.equal((err.response?.data as { message: string }).message, 'Bad credentials');
      return true;
    });
  });

  test('an unknown repository is a 404 Not Found', async () => {
    await assert.rejects(octokit.rest.repos.get({ owner: 'octocat', repo: 'nope' }), (err: RequestError) => err.status === 404 && (err.response?.data as { message: string }).message === 'Not Found');
  });
});

describe('github primary rate limit', () => {
  let fake: Awaited<ReturnType<typeof startGithub>>;
  before(async () => {
    fake = await startGithub({ knobs: { userLimit: 5, coreWindowMs: 1000 } });
  });
  after(() => fake.close());

  test('every response carries x-ratelimit-* headers counting down', async () => {
    const octokit = new Octokit({ auth: fake.credentials.token, baseUrl: fake.url });
    const r1 = await octokit.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' });
    assert.equal(r1.headers['x-ratelimit-limit'], '5');
    assert.equal(r1.headers['x-ratelimit-remaining'], '4');
    assert.equal(r1.headers['x-ratelimit-used'], '1');
    assert.equal(r1.headers['x-ratelimit-resource'], 'core');
    assert.match(String(r1.headers['x-ratelimit-reset']), /^\d{10}$/);
  });

  test('exhaustion surfaces as RequestError 403 with GitHub\'s message, then 429 by knob, and the window recovers', async () => {
    const octokit = new Octokit({ auth: fake.credentials.token, baseUrl: fake.url });
    await fetch(`${fake.url}/_sandbox/github/rate-limit/reset`, { method: 'POST' });
    for (let i = 0; i < 5; i += 1) await octokit.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' });
    const err = await octokit.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof RequestError);
    assert.equal(err.status, 403);
    const data = err.response?.data as { message: string; documentation_url: string };
    assert.match(data.message, /^API rate limit exceeded for user ID \d+\./);
    assert.match(data.documentation_url, /rate-limits/);
    assert.equal(err.response?.headers['x-ratelimit-remaining'], '0');
    const reset = Number(err.response?.headers['x-ratelimit-reset']);

    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimitStatus: 429 }) });
    await assert.rejects(octokit.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' }), (e: RequestError) => e.status === 429);

    await new Promise((r) => setTimeout(r, Math.max(0, reset * 1000 - Date.now()) + 50));
    const ok = await octokit.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['x-ratelimit-remaining'], '4');
  });

  test('GET /rate_limit is free and reports the budget', async () => {
    const octokit = new Octokit({ auth: fake.credentials.token, baseUrl: fake.url });
    const a = await octokit.rest.rateLimit.get();
    const b = await octokit.rest.rateLimit.get();
    assert.equal(a.data.resources.core.used, b.data.resources.core.used);
    assert.equal(a.data.resources.core.limit, 5);
  });

  test('unauthenticated callers get the 60/h budget and its own message', async () => {
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unauthenticatedLimit: 1, rateLimitStatus: 403 }) });
    const anon = new Octokit({ baseUrl: fake.url });
    await anon.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' });
    await assert.rejects(anon.rest.repos.get({ owner: 'octocat', repo: 'Hello-World' }), (e: RequestError) =>
      e.status === 403 && /Authenticated requests get a higher rate limit/.test((e.response?.data as { message: string }).message));
    await assert.rejects(anon.rest.issues.create({ owner: 'octocat', repo: 'Hello-World', title: 'x' }), (e: RequestError) => e.status === 401 || e.status === 403);
  });
});
