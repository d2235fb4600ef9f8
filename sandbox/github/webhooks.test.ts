import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { verify } from '@octokit/webhooks-methods';
import { createRequire } from 'node:module';
import { startReceiver, type Receiver } from '../core/test-receiver.ts';
import { startGithub } from './index.ts';
import { signGithub } from './webhooks.ts';

/** Deliveries the fake sends, checked with GitHub's own verifier and against GitHub's example payloads. */
const examples: unknown = createRequire(import.meta.url)('@octokit/webhooks-examples');

const example = (event: string, action?: string): Record<string, unknown> => {
  const entry = (examples as Array<{ name: string; examples: Array<Record<string, unknown>> }>).find((e) => e.name === event)!;
  return entry.examples.find((p) => action === undefined || p.action === action)!;
};
const missingKeys = (ours: object, theirs: object) => Object.keys(theirs).filter((k) => !(k in ours));

describe('github webhooks', () => {
  const SECRET = "It's a Secret to Everybody";
  let fake: Awaited<ReturnType<typeof startGithub>>;
  let hook: Receiver;
  let octokit: Octokit;

  before(async () => {
    fake = await startGithub();
    hook = await startReceiver();
    octokit = new Octokit({ auth: fake.credentials.token, baseUrl: fake.url });
    await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: hook.url, secret: SECRET }) });
  });
  after(async () => {
    await fake.close();
    await hook.close();
  });

  test('the signer matches the published test vector', () => {
    assert.equal(signGithub(SECRET, 'Hello, World!').sha256, 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  test('issues.create fires issues/opened, signed and shaped like GitHub\'s example', async () => {
    hook.received.length = 0;
    const { data } = await octokit.rest.issues.create({ owner: 'octocat', repo: 'Hello-World', title: 'Webhook me' });
    assert.equal(hook.received.length, 1);
    const d = hook.received[0]!;
    assert.equal(d.headers['x-github-event'], 'issues');
    assert.match(String(d.headers['x-github-delivery']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(String(d.headers['user-agent']), /^GitHub-Hookshot\//);
    assert.equal(d.headers['content-type'], 'application/json');
    assert.ok(await verify(SECRET, d.body, String(d.headers['x-hub-signature-256'])));
    assert.match(String(d.headers['x-hub-signature']), /^sha1=[0-9a-f]{40}$/);
    assert.equal(await verify('wrong secret', d.body, String(d.headers['x-hub-signature-256'])), false);
    const payload = JSON.parse(d.body) as Record<string, Record<string, unknown>>;
    assert.equal(payload.action, 'opened');
    assert.equal(payload.issue!.number, data.number);
    const ref = example('issues', 'opened') as Record<string, object>;
    assert.deepEqual(missingKeys(payload, ref), []);
    assert.deepEqual(missingKeys(payload.issue!, ref.issue!).filter((k) => k !== 'draft'), []);
    assert.deepEqual(missingKeys(payload.repository!, ref.repository!), []);
    assert.deepEqual(missingKeys(payload.sender!, ref.sender!), []);
  });

  test('a UI edit fires issues/edited with changes, and closing fires issues/closed', async () => {
    hook.received.length = 0;
    const res = await fetch(`${fake.url}/_sandbox/github/repos/octocat/Hello-World/issues/1`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Renamed', state: 'closed' }) });
    assert.equal(res.status, 200);
    const actions = hook.received.map((g) => (JSON.parse(g.body) as { action: string }).action);
    assert.deepEqual(actions, ['edited', 'closed']);
    const edited = JSON.parse(hook.received[0]!.body) as { changes: { title: { from: string } } };
    assert.equal(edited.changes.title.from, 'Webhook me');
    for (const g of hook.received) assert.ok(await verify(SECRET, g.body, String(g.headers['x-hub-signature-256'])));
  });

  test('a push fires the push event shaped like GitHub\'s example', async () => {
    hook.received.length = 0;
    await fetch(`${fake.url}/_sandbox/github/repos/octocat/Hello-World/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commits: [{ message: 'Add docs', added: ['docs/a.md'] }] }) });
    const d = hook.received[0]!;
    assert.equal(d.headers['x-github-event'], 'push');
    assert.ok(await verify(SECRET, d.body, String(d.headers['x-hub-signature-256'])));
    const payload = JSON.parse(d.body) as Record<string, unknown> & { head_commit: { message: string; added: string[] } };
    assert.deepEqual(missingKeys(payload, example('push')), []);
    assert.equal(payload.ref, 'refs/heads/main');
    assert.deepEqual(payload.head_commit.added, ['docs/a.md']);
    const commits = await octokit.rest.repos.listCommits({ owner: 'octocat', repo: 'Hello-World' });
    assert.equal(commits.data[0]!.sha, payload.after);
  });

  test('creating a repo hook pings only that hook, form-encoded by default', async () => {
    const other = await startReceiver();
    try {
      hook.received.length = 0;
      const created = await octokit.rest.repos.createWebhook({ owner: 'octocat', repo: 'Hello-World', config: { url: other.url, secret: 's3cret' }, events: ['issues'] });
      assert.equal(created.status, 201);
      assert.equal(hook.received.length, 0, 'the other subscription is not pinged');
      const ping = other.received[0]!;
      assert.equal(ping.headers['x-github-event'], 'ping');
      assert.equal(ping.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.ok(await verify('s3cret', ping.body, String(ping.headers['x-hub-signature-256'])));
      const payload = JSON.parse(new URLSearchParams(ping.body).get('payload')!) as Record<string, unknown>;
      assert.deepEqual(missingKeys(payload, example('ping')), []);
      assert.equal(payload.hook_id, created.data.id);
    } finally {
      await other.close();
    }
  });

  test('a failed delivery is not retried', async () => {
    const failing = await startReceiver({ status: 500 });
    const f2 = await startGithub();
    try {
      await fetch(`${f2.url}/_sandbox/webhooks/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: failing.url, secret: 'x' }) });
      await fetch(`${f2.url}/_sandbox/github/repos/octocat/Hello-World/issues`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'boom' }) });
      await f2.ctx.webhooks.drain();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(failing.received.length, 1);
      const log = (await (await fetch(`${f2.url}/_sandbox/webhooks/deliveries`)).json()) as { deliveries: Array<{ status: number }> };
      assert.deepEqual(log.deliveries.map((d) => d.status), [500]);
    } finally {
      await f2.close();
      await failing.close();
    }
  });
});

describe('github fault knobs', () => {
  let fake: Awaited<ReturnType<typeof startGithub>>;
  const put = (faults: object) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  before(async () => {
    fake = await startGithub({ seed: { generate: { issues: 3 } } });
  });
  after(() => fake.close());
  const get = (path: string) => fetch(`${fake.url}${path}`, { headers: { authorization: `token ${fake.credentials.token}` } });

  test('errorRate 1 answers 5xx', async () => {
    await put({ errorRate: 1, errorStatus: 502 });
    assert.equal((await get('/repos/octocat/Hello-World')).status, 502);
    await put({});
    assert.equal((await get('/repos/octocat/Hello-World')).status, 200);
  });

  test('burst429 answers the next N requests with GitHub\'s 429 and rate headers', async () => {
    await put({ burst429: 2 });
    const a = await get('/repos/octocat/Hello-World');
    assert.equal(a.status, 429);
    assert.equal(a.headers.get('x-ratelimit-remaining'), '0');
    assert.match(((await a.json()) as { message: string }).message, /^API rate limit exceeded/);
    assert.equal((await get('/repos/octocat/Hello-World')).status, 429);
    assert.equal((await get('/repos/octocat/Hello-World')).status, 200);
  });

  test('latencyMs holds the answer long enough for a client timeout to fire', async () => {
    await put({ latencyMs: 400 });
    const slow = fetch(`${fake.url}/repos/octocat/Hello-World`, { headers: { authorization: `token ${fake.credentials.token}` }, signal: AbortSignal.timeout(50) });
    await assert.rejects(slow, (e: Error) => e.name === 'TimeoutError');
    await put({});
    const quick = await fetch(`${fake.url}/repos/octocat/Hello-World`, { headers: { authorization: `token ${fake.credentials.token}` }, signal: AbortSignal.timeout(5000) });
    assert.equal(quick.status, 200);
  });

  test('dropRate 1 drops the connection', async () => {
    await put({ dropRate: 1 });
    await assert.rejects(get('/repos/octocat/Hello-World'));
    await put({});
  });

  test('malformedPages breaks one list body', async () => {
    await put({ malformedPages: 1 });
    const broken = await get('/repos/octocat/Hello-World/issues?state=all');
    await assert.rejects(broken.json());
    const fine = await get('/repos/octocat/Hello-World/issues?state=all');
    assert.equal(((await fine.json()) as unknown[]).length, 3);
  });
});
