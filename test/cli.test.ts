import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const run = promisify(execFile);
const CLI = new URL('../src/cli/main.ts', import.meta.url).pathname;

function envFor(dbUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-cli-data-'));
  return { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: dbUrl, LOG_LEVEL: 'info', DATA_DIR: dataDir, ...extra };
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tempDb = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'sy-cli-')), 'hub.db')}`;

test('start serves /health, prints the first admin key once, and exits cleanly on SIGTERM', async () => {
  const db = tempDb();
  const child = spawn(process.execPath, [CLI, 'start'], { env: envFor(db, { PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /"url":"(http:\/\/[^"]+)"/.exec(stdout);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
  });
  const health = await fetch(`${url}/health`);
  assert.equal(health.status, 200);
  const key = /^\s+(sy_[a-z0-9]{12}_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];
  assert.ok(key, 'the bootstrap admin key is printed');
  const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 200);
  assert.deepEqual((await me.json()).scopes, ['admin']);

  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  assert.deepEqual(await exit, { code: 0, signal: null });
  assert.match(stdout, /"msg":"stopped"/);
  assert.match(stdout, /generated a local master key/, 'the first start warns that production needs real keys');
  assert.equal(stdout.split(key).length - 1, 2, 'the key is printed in the banner and the curl hint only');

  // A second start on the same database prints no new key.
  const again = spawn(process.execPath, [CLI, 'start'], { env: envFor(db, { PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out2 = '';
  await new Promise<void>((resolve) => again.stdout.on('data', (d) => {
    out2 += d;
    if (out2.includes('switchyard listening')) resolve();
  }));
  const exit2 = new Promise<number | null>((resolve) => again.once('exit', (code) => resolve(code)));
  again.kill('SIGINT');
  assert.equal(await exit2, 0);
  assert.doesNotMatch(out2, /sy_[a-z0-9]{12}_/);
});

test('a bad DATABASE_URL or setting exits non-zero with one line naming it', async () => {
  const bad = await cli(['start'], envFor('oracle://nowhere'));
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /^switchyard: config: DATABASE_URL: /);

  const port = await cli(['start'], envFor(tempDb(), { PORT: 'http' }));
  assert.equal(port.code, 1);
  assert.match(port.stderr, /^switchyard: config: PORT: /);

  const down = await cli(['migrate', 'status'], envFor('postgres://postgres@127.0.0.1:1/none'));
  assert.equal(down.code, 1);
  assert.equal(down.stderr.trim().split('\n').length, 1);
  assert.match(down.stderr, /^switchyard: database: cannot connect/);
});

test('tenants, keys and migrate commands', async () => {
  const env = envFor(tempDb());
  const notMigrated = await cli(['tenants', 'create', 'shop'], env);
  assert.equal(notMigrated.code, 1);
  assert.match(notMigrated.stderr, /migrate up/);

  assert.match((await cli(['migrate', 'up'], env)).stdout, /applied 001-foundation\napplied 002-queue/);
  assert.match((await cli(['migrate', 'status'], env)).stdout, /applied\s+001-foundation[\s\S]*current/);
  assert.match((await cli(['tenants', 'create', 'shop'], env)).stdout, /^ten_/);
  const dup = await cli(['tenants', 'create', 'shop'], env);
  assert.equal(dup.code, 1);
  assert.equal(dup.stderr, 'switchyard: conflict: tenant shop already exists\n');

  const created = await cli(['keys', 'create', '--tenant', 'shop', '--scopes', 'webhooks:read,webhooks:write'], env);
  assert.equal(created.code, 0);
  const lines = created.stdout.trim().split('\n');
  assert.match(lines[lines.length - 1]!, /^sy_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/, 'the key is the last line of stdout');
  const keyId = /created (key_\w+)/.exec(created.stdout)?.[1];
  assert.ok(keyId);

  const badScope = await cli(['keys', 'create', '--tenant', 'shop', '--scopes', 'root'], env);
  assert.equal(badScope.code, 1);
  assert.match(badScope.stderr, /scopes: unknown scope root/);
  assert.equal((await cli(['keys', 'create', '--tenant', 'nobody'], env)).code, 1);

  const listed = await cli(['keys', 'list', '--tenant', 'shop'], env);
  assert.match(listed.stdout, new RegExp(`${keyId}.*active`));
  assert.ok(!listed.stdout.includes(lines[lines.length - 1]!), 'list never shows the key');
  assert.match((await cli(['keys', 'revoke', keyId!, '--tenant', 'shop'], env)).stdout, /revoked/);
  assert.match((await cli(['keys', 'list', '--tenant', 'shop'], env)).stdout, new RegExp(`${keyId}.*revoked`));

  const unknownAction = await cli(['migrate', 'sideways'], env);
  assert.equal(unknownAction.code, 1);
  const last = (await cli(['migrate', 'status'], env)).stdout.trim().split('\n').at(-2)!.split(/\s+/)[1];
  assert.match((await cli(['migrate', 'down'], env)).stdout, new RegExp(String.raw`^reverted ${last}\n$`), 'down undoes only the newest migration');
  assert.match((await cli(['migrate', 'status'], env)).stdout, new RegExp(String.raw`pending\s+${last}[\s\S]*pending migrations`));
  assert.match((await cli(['migrate', 'down', '--all'], env)).stdout, /reverted 001-foundation\n$/);
  assert.match((await cli(['migrate', 'status'], env)).stdout, /pending\s+001-foundation/);
});
