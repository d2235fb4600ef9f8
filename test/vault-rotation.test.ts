import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { formatKeyRing, generateMasterKey } from '../src/vault/index.ts';
import { startTestHub } from './helpers/hub.ts';
import { call } from './helpers/http.ts';

const run = promisify(execFile);
const CLI = new URL('../src/cli/main.ts', import.meta.url).pathname;

test('keys rotate-master re-wraps every sealed secret online, is idempotent, and the old key can then go', async () => {
  const A = formatKeyRing([generateMasterKey('old-a')]);
  const B = formatKeyRing([generateMasterKey('new-b')]);
  const t = await startTestHub({ env: { MASTER_KEYS: A, RATE_LIMIT_MAX: '100000' } });
  const base = await t.hub.listen();
  const api = (path: string, init: Parameters<typeof call>[1] = {}) => call(`${base}/api/v1${path}`, { key: t.adminKey, ...init });
  const src = (await api('/webhook-sources', { method: 'POST', json: { provider: 'github', name: 'gh', secrets: ['github-plaintext-secret-1'] } })).body;
  const conn = await api('/connections', { method: 'POST', json: { provider: 'hubspot', externalId: 'rot', authMode: 'api_key', config: {}, credentials: { apiKey: 'pat-na1-plaintext-token-xyz' } } });
  assert.equal(conn.status, 201, conn.text);
  const sub = await api('/subscriptions', { method: 'POST', json: { name: 's', eventTypes: 'provider.event', action: { kind: 'webhook', url: 'http://127.0.0.1:9/x' } } });
  assert.equal(sub.status, 201);

  const dbUrl = t.hub.config.databaseUrl;
  const env = { PATH: process.env.PATH, DATABASE_URL: dbUrl, DATA_DIR: t.hub.config.dataDir };
  // Rotate while the hub is still serving: the new ring lists B first, A after.
  const first = await run(process.execPath, [CLI, 'keys', 'rotate-master'], { env: { ...env, MASTER_KEYS: `${B},${A}` } });
  assert.match(first.stdout, /connections: 1 re-wrapped/);
  assert.match(first.stdout, /webhook sources: 1 re-wrapped/);
  assert.match(first.stdout, /subscriptions: 1 re-wrapped/);
  assert.match(first.stdout, /under key new-b/);
  const again = await run(process.execPath, [CLI, 'keys', 'rotate-master'], { env: { ...env, MASTER_KEYS: `${B},${A}` } });
  assert.match(again.stdout, /connections: 0 re-wrapped, 1 already current/);
  assert.match(again.stdout, /webhook sources: 0 re-wrapped, 1 already current/);

  // A database file holds none of the plaintexts.
  if (dbUrl.startsWith('sqlite:')) {
    const dump = readFileSync(dbUrl.slice('sqlite:'.length)).toString('latin1') + readFileSync(`${dbUrl.slice('sqlite:'.length)}-wal`).toString('latin1');
    for (const secret of ['github-plaintext-secret-1', 'pat-na1-plaintext-token-xyz', sub.body.secret]) assert.ok(!dump.includes(secret), `no plaintext ${secret.slice(0, 8)}… in the database files`);
  }
  await t.hub.close();

  // A hub with only the new key reads everything; one with only the old key names the missing kid.
  const withB = await startTestHub({ tenant: 'after-rotation', env: { MASTER_KEYS: B, DATABASE_URL: dbUrl, RATE_LIMIT_MAX: '100000' } });
  try {
    const b = await withB.hub.listen();
    const body = JSON.stringify({ action: 'opened' });
    const sent = await call(src.url.replace(base, b), { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'rot-1', 'x-hub-signature-256': await githubSign('github-plaintext-secret-1', body) } });
    assert.equal(sent.status, 200, sent.text);
    const key = (await withB.hub.store.tenants.list()).length;
    assert.ok(key >= 1);
  } finally {
    await withB.hub.close();
  }
  const onlyA = await run(process.execPath, [CLI, 'keys', 'rotate-master'], { env: { ...env, MASTER_KEYS: A } }).then(() => '', (e: { stdout: string; stderr: string }) => e.stdout + e.stderr);
  assert.match(onlyA, /new-b/, 'a ring without the key in use names that key id');
  await t.close();
});
