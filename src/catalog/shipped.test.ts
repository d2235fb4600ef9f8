import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { getScheme } from '../webhooks/schemes/index.ts';
import { loadCatalog, type Catalog } from './loader.ts';
import { CATALOG_DIR } from './test-fixtures.ts';

let catalog: Catalog;
before(async () => {
  catalog = await loadCatalog(CATALOG_DIR);
});

describe('the shipped catalog', () => {
  it('loads every file under catalog/ and covers the providers the hub connects to', async () => {
    const files = (await readdir(CATALOG_DIR)).filter((f) => f.endsWith('.yaml'));
    assert.equal(catalog.entries.size, files.length);
    for (const id of ['hubspot', 'monday', 'salesforce', 'github', 'wordpress', 'google', 'notion', 'stripe', 'slack', 'shopify']) {
      assert.ok(catalog.get(id), `catalog/${id}.yaml is missing`);
    }
  });

  it('names only webhook schemes that the scheme registry has', () => {
    for (const entry of catalog.entries.values()) {
      if (!entry.webhooks) continue;
      for (const name of [entry.webhooks.scheme, ...entry.webhooks.alternatives]) {
        assert.ok(getScheme(name), `${entry.id}: webhook scheme "${name}" is not in src/webhooks/schemes`);
      }
    }
  });

  it('lists every "unknown" fact under unconfirmed, so readers know which values are guesses', () => {
    for (const entry of catalog.entries.values()) {
      const unconfirmed = entry.unconfirmed.join('\n');
      for (const spec of entry.auth) {
        if (spec.mode === 'oauth2' && spec.pkce === 'unknown') assert.match(unconfirmed, /pkce/i, `${entry.id}: pkce unknown but not listed`);
        if (!('tokenResponse' in spec)) continue;
        if (spec.tokenResponse.refreshTokenRotation === 'unknown') assert.match(unconfirmed, /rotat/i, `${entry.id}: rotation unknown but not listed`);
        if (spec.tokenResponse.accessTokenLifetime === 'unknown') assert.match(unconfirmed, /lifetime|expire/i, `${entry.id}: lifetime unknown but not listed`);
      }
    }
  });

  it('carries the auth modes the connections service implements for each provider', () => {
    const modes = (id: string) => catalog.require(id).auth.map((a) => a.mode).sort();
    assert.deepEqual(modes('github'), ['github_app', 'oauth2']);
    assert.deepEqual(modes('google'), ['oauth2', 'service_account']);
    assert.deepEqual(modes('salesforce'), ['client_credentials', 'jwt_bearer', 'oauth2']);
    assert.deepEqual(modes('stripe'), ['api_key']);
    assert.deepEqual(modes('wordpress'), ['basic']);
  });

  it('declares the per-connection settings its templates need', () => {
    assert.deepEqual(Object.keys(catalog.require('salesforce').connectionConfig).sort(), ['apiVersion', 'instanceUrl', 'loginUrl']);
    assert.equal(catalog.require('shopify').connectionConfig.shop?.required, true);
    assert.equal(catalog.require('wordpress').connectionConfig.siteUrl?.type, 'url');
    assert.deepEqual(catalog.require('github').connectionConfig.installationId?.modes, ['github_app']);
  });

  it('keeps the documented token facts (spot checks against PROVIDERS.md)', () => {
    const oauth = (id: string) => {
      const spec = catalog.require(id).auth.find((a) => a.mode === 'oauth2');
      assert.ok(spec && spec.mode === 'oauth2');
      return spec;
    };
    assert.equal(oauth('hubspot').tokenResponse.defaultExpiresInSec, 1800);
    assert.equal(oauth('hubspot').tokenUrl, 'https://api.hubapi.com/oauth/v1/token');
    assert.equal(oauth('slack').scopeSeparator, ',');
    assert.equal(oauth('notion').tokenAuthMethod, 'client_secret_basic');
    assert.equal(oauth('notion').tokenBodyFormat, 'json');
    assert.equal(oauth('github').tokenResponse.refreshTokenRotation, 'yes');
    assert.deepEqual(oauth('salesforce').tokenResponse.configFromResponse, { instance_url: 'instanceUrl' });
    assert.equal(catalog.require('github').rateLimits.headers.resetFormat, 'epoch-seconds');
    assert.deepEqual(catalog.require('github').rateLimits.limitedStatuses, [403, 429]);
  });

  it('hands out frozen entries, so no caller can change the catalog for everyone', () => {
    const entry = catalog.require('hubspot');
    assert.throws(() => {
      (entry.api as { baseUrl: string }).baseUrl = 'http://evil.test';
    }, TypeError);
    assert.throws(() => catalog.require('hubspott'), /no provider "hubspott" \(known: github, google/);
  });
});
