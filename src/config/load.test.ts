import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig } from './load.ts';
import { ENV_NAMES } from './schema.ts';

test('defaults give a hub on SQLite at 127.0.0.1:8080', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.databaseUrl, 'sqlite:./data/switchyard.db');
  assert.equal(c.port, 8080);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.sqliteSynchronous, 'FULL');
  assert.ok(Object.isFrozen(c));
});

test('env overrides the file, which overrides defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
  const file = join(dir, 'switchyard.yaml');
  writeFileSync(file, 'port: 9000\nlogLevel: debug\n');
  const c = loadConfig({ env: { PORT: '9100' }, file });
  assert.equal(c.port, 9100);
  assert.equal(c.logLevel, 'debug');
});

test('a bad value is one line naming the env setting', () => {
  assert.throws(() => loadConfig({ env: { DATABASE_URL: 'oracle://x' } }), (e: unknown) =>
    e instanceof ConfigError && /^config: DATABASE_URL: must start with sqlite:/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => loadConfig({ env: { PORT: 'eighty' } }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('config: PORT:'));
  assert.throws(() => loadConfig({ env: { LOG_LEVEL: 'loud' } }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('config: LOG_LEVEL:'));
});

test('a bad file key or value names the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
  const unknown = join(dir, 'a.json');
  writeFileSync(unknown, JSON.stringify({ prot: 1 }));
  assert.throws(() => loadConfig({ env: {}, file: unknown }), (e: unknown) => e instanceof ConfigError && e.message.includes('unknown setting prot') && e.message.includes(unknown));
  const badValue = join(dir, 'b.yaml');
  writeFileSync(badValue, 'port: -1\n');
  assert.throws(() => loadConfig({ env: {}, file: badValue }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`config: port (in ${badValue})`));
  const broken = join(dir, 'c.json');
  writeFileSync(broken, '{');
  assert.throws(() => loadConfig({ env: {}, file: broken }), (e: unknown) => e instanceof ConfigError && e.message.includes('not valid JSON'));
  assert.throws(() => loadConfig({ env: {}, file: join(dir, 'missing.yaml') }), (e: unknown) => e instanceof ConfigError && e.message.includes('cannot be read'));
});

test('.env.example lists every setting and nothing else', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const listed = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).filter((n) => n !== 'SWITCHYARD_CONFIG').sort();
  assert.deepEqual(listed, Object.values(ENV_NAMES).sort());
});
