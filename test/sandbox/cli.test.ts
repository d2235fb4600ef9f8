import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';
import { FAKE_NAMES } from '../../sandbox/index.ts';

/**
 * `switchyard sandbox` as a user runs it: a child process that prints each
 * fake's URL and credentials. Every fake is then called with nothing but
 * what was printed, and must answer 200 with its demo data.
 */
const RUNNER = new URL('./run-sandbox-cli.ts', import.meta.url).pathname;

interface Printed { url: string; creds: Record<string, string> }

/** Reads the printed blocks: `name  url  (docs...)` then `  key: value` lines. */
function parse(stdout: string): Map<string, Printed> {
  const fakes = new Map<string, Printed>();
  let current: Printed | undefined;
  for (const line of stdout.split('\n')) {
    const head = /^(\w+) {2}(http:\/\/\S+)/.exec(line);
    if (head) {
      current = { url: head[2]!, creds: {} };
      fakes.set(head[1]!, current);
      continue;
    }
    const kv = /^ {2}(\w+): (.*)$/.exec(line);
    if (kv && current) current.creds[kv[1]!] = kv[2]!;
  }
  return fakes;
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

function run(args: string[]): { child: Child; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [RUNNER, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('switchyard sandbox --seed demo --port 0', () => {
  let proc: ReturnType<typeof run>;
  let fakes: Map<string, Printed>;
  let hook: Receiver;

  before(async () => {
    hook = await startReceiver();
    proc = run(['--seed', 'demo', '--port', '0']);
    await new Promise<void>((resolve, reject) => {
      proc.child.stdout.on('data', () => {
        if (proc.out().includes('Press Ctrl-C to stop.')) resolve();
      });
      void proc.exit.then((code) => reject(new Error(`sandbox exited early with ${code}: ${proc.err()}`)));
    });
    fakes = parse(proc.out());
  });
  after(async () => {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    await hook.close();
  });

  const fake = (name: string): Printed => {
    const f = fakes.get(name);
    assert.ok(f, `${name} was printed`);
    return f;
  };
  const json = async (res: Response): Promise<any> => {
    assert.equal(res.status, 200, `${res.url} answered ${res.status}`);
    return res.json();
  };

  test('prints every fake in registry order, and private keys only as file paths', () => {
    assert.deepEqual([...fakes.keys()], FAKE_NAMES);
    assert.doesNotMatch(proc.out(), /BEGIN [A-Z ]*PRIVATE KEY/);
    const keyFile = fake('github').creds.appPrivateKeyFile!;
    assert.match(readFileSync(keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  });

  test('hubspot: list contacts with the private-app token', async () => {
    const { url, creds } = fake('hubspot');
    const body = await json(await fetch(`${url}/crm/v3/objects/contacts?limit=100`, { headers: { authorization: `Bearer ${creds.accessToken}` } }));
    assert.equal(body.results.length, 25);
    assert.ok(body.results[0].properties.email.endsWith('@example.com'));
  });

  test('stripe: list customers with the secret key', async () => {
    const { url, creds } = fake('stripe');
    const body = await json(await fetch(`${url}/v1/customers?limit=100`, { headers: { authorization: `Bearer ${creds.secretKey}` } }));
    assert.equal(body.object, 'list');
    assert.equal(body.data.length, 15);
    const events = await json(await fetch(`${url}/v1/events?limit=100`, { headers: { authorization: `Bearer ${creds.secretKey}` } }));
    assert.equal(events.data.length, 25, '15 customer.created and 10 customer.updated');
  });

  test('slack and shopify: a triggered delivery verifies with the printed secret', async () => {
    for (const name of ['slack', 'shopify']) {
      const { url } = fake(name);
      const sub = await fetch(`${url}/_sandbox/webhooks/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `${hook.url}?${name}`, events: [] }) });
      assert.equal(sub.status, 201);
    }
    const slack = fake('slack');
    const ev = await fetch(`${slack.url}/_sandbox/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: { type: 'message', text: 'hi', channel: 'C1', user: 'U1', ts: '1.0' } }) });
    assert.equal(ev.status, 202);
    const [s] = await hook.waitFor(1, (r) => r.url.endsWith('?slack'));
    const base = `v0:${s!.headers['x-slack-request-timestamp']}:${s!.body}`;
    assert.equal(s!.headers['x-slack-signature'], `v0=${createHmac('sha256', slack.creds.signingSecret!).update(base).digest('hex')}`);

    const shopify = fake('shopify');
    const order = await fetch(`${shopify.url}/_sandbox/shopify/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'orders/create' }) });
    assert.equal(order.status, 202);
    const [o] = await hook.waitFor(1, (r) => r.url.endsWith('?shopify'));
    assert.equal(o!.headers['x-shopify-hmac-sha256'], createHmac('sha256', shopify.creds.clientSecret!).update(o!.body).digest('base64'));
  });

  test('monday: the Leads board and its 25 items with the API token', async () => {
    const { creds } = fake('monday');
    const res = await fetch(creds.endpoint!, {
      method: 'POST', headers: { authorization: creds.apiToken!, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query { boards { name items_page(limit: 100) { items { id name } } } }' }),
    });
    const body = await json(res);
    const leads = body.data.boards.find((b: { name: string }) => b.name === 'Leads');
    assert.equal(leads.items_page.items.length, 25);
  });

  test('notion: query the Leads database with the integration token', async () => {
    const { url, creds } = fake('notion');
    const state = await json(await fetch(`${url}/_sandbox/state`));
    const db = state.databases.find((d: { title: string }) => d.title === 'Leads');
    const body = await json(await fetch(`${url}/v1/databases/${db.id}/query`, {
      method: 'POST', headers: { authorization: `Bearer ${creds.integrationToken}`, 'notion-version': '2022-06-28', 'content-type': 'application/json' }, body: '{}',
    }));
    assert.equal(body.object, 'list');
    assert.equal(body.results.length, 20);
  });

  test('salesforce: SOQL over the demo leads with the access token', async () => {
    const { creds } = fake('salesforce');
    const q = encodeURIComponent('SELECT Id, LastName, Company FROM Lead');
    const body = await json(await fetch(`${creds.instanceUrl}/services/data/v60.0/query?q=${q}`, { headers: { authorization: `Bearer ${creds.accessToken}` } }));
    assert.equal(body.totalSize, 25);
    assert.ok(existsSync(creds.privateKeyFile!));
  });

  test('wordpress: list posts with the application password', async () => {
    const { creds } = fake('wordpress');
    const basic = Buffer.from(`${creds.username}:${creds.applicationPassword}`).toString('base64');
    const res = await fetch(`${creds.baseUrl}/wp/v2/posts?per_page=100`, { headers: { authorization: `Basic ${basic}` } });
    const body = await json(res);
    assert.equal(body.length, 12);
    assert.equal(res.headers.get('x-wp-total'), '12');
  });

  test('github: the repo and its issues with the token', async () => {
    const { url, creds } = fake('github');
    const headers = { authorization: `token ${creds.token}`, accept: 'application/vnd.github+json' };
    const repo = await json(await fetch(`${url}/repos/${creds.login}/Hello-World`, { headers }));
    assert.equal(repo.full_name, 'octocat/Hello-World');
    const issues = await json(await fetch(`${url}/repos/${creds.login}/Hello-World/issues?state=all&per_page=100`, { headers }));
    assert.equal(issues.length, 18, '15 issues and 3 pull requests');
  });

  test('google: the demo sheet starts with its header row', async () => {
    const { url, creds } = fake('google');
    const range = encodeURIComponent('Sheet1!A1:D');
    const body = await json(await fetch(`${url}/v4/spreadsheets/${creds.spreadsheetId}/values/${range}`, { headers: { authorization: `Bearer ${creds.accessToken}` } }));
    assert.deepEqual(body.values[0], ['Name', 'Email', 'Amount', 'Status']);
    assert.equal(body.values.length, 26);
  });

  test('SIGTERM stops every fake and exits 0, removing the key files', async () => {
    const keyFile = fake('github').creds.appPrivateKeyFile!;
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exit, 0);
    assert.match(proc.out(), /stopped \(SIGTERM\)/);
    assert.equal(existsSync(keyFile), false);
    await assert.rejects(fetch(`${fake('hubspot').url}/_sandbox/state`));
  });
});

describe('switchyard sandbox with bad input', () => {
  test('an unknown provider exits 1 with one line naming it', async () => {
    const proc = run(['--providers', 'hubspot,nosuch', '--port', '0']);
    assert.equal(await proc.exit, 1);
    const lines = proc.err().trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /unknown provider nosuch/);
    assert.equal(proc.out(), '');
  });

  test('a subset starts only the named fakes, in registry order', async () => {
    const proc = run(['--providers', 'stripe,hubspot', '--seed', 'none', '--port', '0']);
    await new Promise<void>((resolve) => proc.child.stdout.on('data', () => proc.out().includes('Press Ctrl-C') && resolve()));
    assert.deepEqual([...parse(proc.out()).keys()], ['hubspot', 'stripe']);
    proc.child.kill('SIGINT');
    assert.equal(await proc.exit, 0);
  });
});
