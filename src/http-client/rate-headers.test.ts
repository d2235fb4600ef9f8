import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRemaining, parseReset, parseRetryAfter } from './rate-headers.ts';
import { parseLinkHeader } from './pagination/link-header.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

test('Retry-After in seconds, milliseconds and as an HTTP date', () => {
  assert.equal(parseRetryAfter('2', 'seconds', now), 2000);
  assert.equal(parseRetryAfter('1500', 'ms', now), 1500);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', 'seconds', now), 5000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', 'seconds', now), 0);
  assert.equal(parseRetryAfter('soon', 'seconds', now), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('reset headers in every format become an absolute time', () => {
  assert.equal(parseReset('30', 'seconds', now), now + 30_000);
  assert.equal(parseReset('250', 'ms', now), now + 250);
  assert.equal(parseReset(String(now / 1000 + 60), 'epoch-seconds', now), now + 60_000);
  assert.equal(parseReset(String(now + 10), 'epoch-ms', now), now + 10);
  assert.equal(parseReset('Thu, 01 Jan 2026 00:01:00 GMT', 'http-date', now), now + 60_000);
  assert.equal(parseReset('x', 'seconds', now), undefined);
  assert.equal(parseRemaining('42'), 42);
  assert.equal(parseRemaining('-1'), undefined);
});

test('Link headers, including URLs with commas and several rels', () => {
  const links = parseLinkHeader('<https://api.github.com/x?page=2&q=a,b>; rel="next", <https://api.github.com/x?page=9>; rel="last", <https://h/1>; rel="first prev"');
  assert.equal(links.get('next'), 'https://api.github.com/x?page=2&q=a,b');
  assert.equal(links.get('last'), 'https://api.github.com/x?page=9');
  assert.equal(links.get('prev'), 'https://h/1');
  assert.equal(parseLinkHeader(null).size, 0);
});
