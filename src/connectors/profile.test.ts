import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../catalog/index.ts';
import { parseProfile } from '../http-client/index.ts';
import { profileFromCatalog } from './profile.ts';

const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);

const configFor: Record<string, Record<string, unknown>> = {
  salesforce: { instanceUrl: 'https://acme.my.salesforce.com' },
  shopify: { shop: 'acme' },
  github: { installationId: '1', appId: '2' },
  wordpress: { siteUrl: 'https://blog.example.com' },
};

test('every catalog entry and auth mode yields a valid client profile', () => {
  let n = 0;
  for (const entry of catalog.entries.values()) {
    for (const spec of entry.auth) {
      const profile = parseProfile(profileFromCatalog(entry, { authMode: spec.mode, connectionConfig: configFor[entry.id] ?? {} }));
      assert.equal(profile.provider, entry.id);
      assert.match(profile.baseUrl, /^https:\/\//);
      n += 1;
    }
  }
  assert.ok(n >= 15, `${n} profiles`);
});

test('token presentation, limits, pagination and overrides follow the catalog', () => {
  const hubspot = parseProfile(profileFromCatalog(catalog.get('hubspot')!, { authMode: 'oauth2', connectionConfig: { baseUrl: 'http://127.0.0.1:4010' } }));
  assert.equal(hubspot.baseUrl, 'http://127.0.0.1:4010', 'a connection\'s own base URL wins (sandbox)');
  assert.deepEqual(hubspot.auth, { style: 'bearer' });
  assert.ok(hubspot.rateLimits.some((r) => r.points === 100 && r.durationMs === 10_000), 'the 100 per 10 s burst limit is a bucket');
  assert.ok(!hubspot.rateLimits.some((r) => r.points === 5 && r.durationMs === 1000), 'the search-only limit is not applied to every call');
  assert.equal(hubspot.pagination?.preset, 'cursor');

  const monday = parseProfile(profileFromCatalog(catalog.get('monday')!, { authMode: catalog.get('monday')!.auth[0]!.mode, connectionConfig: {} }));
  assert.deepEqual(monday.auth, { style: 'header', header: 'Authorization', prefix: '' }, 'monday takes the raw token');
  const sf = parseProfile(profileFromCatalog(catalog.get('salesforce')!, { authMode: 'oauth2', connectionConfig: configFor.salesforce! }));
  assert.equal(sf.baseUrl.startsWith('https://acme.my.salesforce.com'), true, 'instance URL template expanded');
  assert.equal(sf.pagination?.preset, 'next-url');
});
