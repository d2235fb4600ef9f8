import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile } from './profile.ts';

test('a minimal profile gets every default, and stays plain serialisable data', () => {
  const p = parseProfile({ provider: 'github', baseUrl: 'https://api.github.com', auth: { style: 'token' }, pagination: { preset: 'link' } });
  assert.equal(p.retry.maxAttempts, 5);
  assert.deepEqual(p.retry.statuses, [408, 429, 500, 502, 503, 504]);
  assert.equal(p.breaker.consecutiveFailures, 5);
  assert.equal(p.timeouts.headersMs, 30_000);
  assert.deepEqual(p.pagination, { preset: 'link', perPageParam: 'per_page', itemsPath: '' });
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
});

test('unknown keys and bad values fail loudly', () => {
  assert.throws(() => parseProfile({ provider: 'x', baseUrl: 'https://x', auth: { style: 'bearer' }, retries: {} }));
  assert.throws(() => parseProfile({ provider: 'x', baseUrl: 'https://x', auth: { style: 'header' } }));
  assert.throws(() => parseProfile({ provider: 'x', baseUrl: 'not a url', auth: { style: 'bearer' } }));
  assert.throws(() => parseProfile({ provider: 'x', baseUrl: 'https://x', auth: { style: 'bearer' }, rateLimits: [{ points: 0, durationMs: 1 }] }));
  assert.throws(() => parseProfile({ provider: 'x', baseUrl: 'https://x', auth: { style: 'bearer' }, pagination: { preset: 'cursor', cursorPth: 'a' } }));
});
