import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenEndpointResponse } from 'oauth4webapi';
import { toTokenSet } from './token-response.ts';
import { backoffFor, DEFAULT_REFRESH_POLICY, needsRefresh, nextRefreshAt } from './refresh-policy.ts';
import { SingleFlight } from './single-flight.ts';

const spec = { expiresInField: 'expires_in', defaultExpiresInSec: null, refreshTokenRotation: 'unknown' as const, keepFields: ['instance_url'], accessTokenLifetime: 'unknown' as const, configFromResponse: { instance_url: 'instanceUrl' } };
const res = (o: Record<string, unknown>) => ({ token_type: 'bearer', access_token: 'at', ...o }) as unknown as TokenEndpointResponse;

test('a refresh without a refresh token keeps the old one; a rotated one replaces it', () => {
  const previous = { accessToken: 'old', refreshToken: 'rt-1', tokenType: 'bearer', expiresAt: 1 };
  assert.equal(toTokenSet(res({ expires_in: 60 }), spec, 1000, previous).token.refreshToken, 'rt-1');
  assert.equal(toTokenSet(res({ expires_in: 60, refresh_token: 'rt-2' }), spec, 1000, previous).token.refreshToken, 'rt-2');
});

test('lifetime: expires_in wins, then the catalog default, else never', () => {
  assert.equal(toTokenSet(res({ expires_in: 60 }), spec, 1000).token.expiresAt, 61_000);
  assert.equal(toTokenSet(res({}), { ...spec, defaultExpiresInSec: 7200 }, 1000).token.expiresAt, 7_201_000);
  assert.equal(toTokenSet(res({}), spec, 1000).token.expiresAt, null);
});

test('kept and renamed response fields land in the config', () => {
  const { kept } = toTokenSet(res({ instance_url: 'https://acme.my.salesforce.com' }), spec, 0);
  assert.deepEqual(kept, { instance_url: 'https://acme.my.salesforce.com', instanceUrl: 'https://acme.my.salesforce.com' });
});

test('refresh policy: margin, never-expiring tokens, backoff schedule repeats its last step', () => {
  const p = { ...DEFAULT_REFRESH_POLICY, marginMs: 100, backoffMs: [10, 20] };
  assert.equal(needsRefresh(p, 1000, 899), false);
  assert.equal(needsRefresh(p, 1000, 900), true);
  assert.equal(needsRefresh(p, null, 1e15), false);
  assert.equal(needsRefresh(p, undefined, 0), true, 'no token yet');
  assert.equal(nextRefreshAt(p, 1000), 900);
  assert.deepEqual([1, 2, 3, 9].map((n) => backoffFor(p, n)), [10, 20, 20, 20]);
});

test('single-flight: concurrent callers share one run, the next call runs again', async () => {
  const flight = new SingleFlight();
  let runs = 0;
  const work = () => flight.do('k', async () => {
    runs++;
    await new Promise((r) => setTimeout(r, 5));
    return runs;
  });
  const results = await Promise.all([work(), work(), work()]);
  assert.deepEqual(results, [1, 1, 1]);
  assert.equal(await work(), 2);
  assert.equal(flight.size, 0);
  await assert.rejects(flight.do('e', () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(flight.size, 0, 'a failure does not stick');
});
