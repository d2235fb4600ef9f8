import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { checkConnectionConfig } from './connection-config.ts';
import { CatalogError } from './errors.ts';
import { loadCatalog, type Catalog } from './loader.ts';
import { CATALOG_DIR } from './test-fixtures.ts';
import { authSpecOf, resolveUrls } from './urls.ts';

let catalog: Catalog;
before(async () => {
  catalog = await loadCatalog(CATALOG_DIR);
});

describe('resolveUrls: templates', () => {
  it('expands Salesforce URLs from the connection, with loginUrl and apiVersion from their defaults', () => {
    const urls = resolveUrls(catalog.require('salesforce'), 'oauth2', { instanceUrl: 'https://acme.my.salesforce.com/' });
    assert.deepEqual(urls, {
      baseUrl: 'https://acme.my.salesforce.com/services/data/v66.0',
      additionalBaseUrls: {},
      authorizationUrl: 'https://login.salesforce.com/services/oauth2/authorize',
      tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
      revokeUrl: 'https://login.salesforce.com/services/oauth2/revoke',
    });
  });

  it('uses a connection value over the default (sandbox org login host, JWT audience)', () => {
    const urls = resolveUrls(catalog.require('salesforce'), 'jwt_bearer', { loginUrl: 'https://test.salesforce.com', instanceUrl: 'https://acme--dev.sandbox.my.salesforce.com' });
    assert.equal(urls.tokenUrl, 'https://test.salesforce.com/services/oauth2/token');
    assert.equal(urls.audience, 'https://test.salesforce.com');
    assert.equal(urls.authorizationUrl, undefined);
  });

  it('names the URL and the missing setting when a template has no value', () => {
    assert.throws(() => resolveUrls(catalog.require('salesforce'), 'oauth2', {}),
      (e: unknown) => e instanceof CatalogError && e.message === 'salesforce: api.baseUrl: needs connectionConfig.instanceUrl, which this connection does not set');
    assert.throws(() => resolveUrls(catalog.require('github'), 'github_app', {}), /auth\.github_app\.installationTokenUrl: needs connectionConfig\.installationId/);
  });

  it('expands the GitHub installation token URL from an integer id and refuses a non-integer', () => {
    const urls = resolveUrls(catalog.require('github'), 'github_app', { installationId: 42, appId: '7' });
    assert.equal(urls.installationTokenUrl, 'https://api.github.com/app/installations/42/access_tokens');
    assert.throws(() => resolveUrls(catalog.require('github'), 'github_app', { installationId: '42/../../user' }), /connectionConfig\.installationId: must be a non-negative integer/);
  });

  it('checks a URL-typed setting', () => {
    assert.throws(() => resolveUrls(catalog.require('wordpress'), 'basic', { siteUrl: 'blog.example.com' }), /connectionConfig\.siteUrl: must be an http\(s\) URL/);
    assert.equal(resolveUrls(catalog.require('wordpress'), 'basic', { siteUrl: 'http://127.0.0.1:4050' }).baseUrl, 'http://127.0.0.1:4050/wp-json');
  });

  it('never lets a Shopify shop value move the URL to another host (any string)', () => {
    const shopify = catalog.require('shopify');
    let expanded = 0;
    const shops = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,20}$/), fc.constantFrom('evil.test#', 'a@evil.test', 'a/../x', 'a.evil.test/'));
    fc.assert(fc.property(shops, (shop) => {
      let urls;
      try {
        urls = resolveUrls(shopify, 'oauth2', { shop });
      } catch (err) {
        assert.ok(err instanceof CatalogError, `unexpected ${String(err)}`);
        return;
      }
      expanded++;
      for (const u of [urls.baseUrl, urls.authorizationUrl, urls.tokenUrl]) {
        assert.equal(new URL(u!).hostname, `${shop.toLowerCase()}.myshopify.com`);
      }
    }), { numRuns: 500 });
    assert.ok(expanded > 0, 'the property never reached an expansion');
  });

  it('refuses an auth mode the provider does not list, naming the ones it does', () => {
    assert.throws(() => resolveUrls(catalog.require('stripe'), 'oauth2', {}), /stripe: authMode: stripe has no auth mode oauth2 \(has: api_key\)/);
    assert.equal(authSpecOf(catalog.require('stripe'), 'api_key').prefix, 'Bearer ');
  });
});

describe('resolveUrls: overrides', () => {
  it('applies env overrides, then the connection\'s own URLs on top', () => {
    const hubspot = catalog.require('hubspot');
    const env = { 'api.baseUrl': 'http://127.0.0.1:4010', 'auth.oauth2.tokenUrl': 'http://127.0.0.1:4010/oauth/v1/token' };
    const fromEnv = resolveUrls(hubspot, 'oauth2', {}, env);
    assert.equal(fromEnv.baseUrl, 'http://127.0.0.1:4010');
    assert.equal(fromEnv.tokenUrl, 'http://127.0.0.1:4010/oauth/v1/token');
    assert.equal(fromEnv.authorizationUrl, 'https://app.hubspot.com/oauth/authorize');
    const perConnection = resolveUrls(hubspot, 'oauth2', { baseUrl: 'http://127.0.0.1:5010', authorizationUrl: 'http://127.0.0.1:5010/oauth/authorize' }, env);
    assert.equal(perConnection.baseUrl, 'http://127.0.0.1:5010');
    assert.equal(perConnection.authorizationUrl, 'http://127.0.0.1:5010/oauth/authorize');
    assert.equal(perConnection.tokenUrl, 'http://127.0.0.1:4010/oauth/v1/token');
  });

  it('expands templates inside a per-connection override too', () => {
    const urls = resolveUrls(catalog.require('shopify'), 'oauth2', { shop: 'acme', tokenUrl: 'http://127.0.0.1:4060/${connectionConfig.shop}/token' });
    assert.equal(urls.tokenUrl, 'http://127.0.0.1:4060/acme/token');
  });

  it('refuses a per-connection URL the auth mode does not use, and one that is not http(s)', () => {
    assert.throws(() => resolveUrls(catalog.require('stripe'), 'api_key', { tokenUrl: 'http://x.test/token' }), /connectionConfig\.tokenUrl: auth mode api_key has no tokenUrl to override/);
    assert.throws(() => resolveUrls(catalog.require('stripe'), 'api_key', { baseUrl: 'javascript:alert(1)' }), /api\.baseUrl: expands to javascript:alert\(1\), which is not an http\(s\) URL/);
  });
});

describe('checkConnectionConfig', () => {
  it('requires a setting only for the auth modes it names', () => {
    const github = catalog.require('github');
    assert.deepEqual(checkConnectionConfig(github, 'oauth2', {}), []);
    assert.deepEqual(checkConnectionConfig(github, 'github_app', {}).map((e) => e.field), ['connectionConfig.installationId', 'connectionConfig.appId']);
    assert.deepEqual(checkConnectionConfig(github, 'github_app', { installationId: '9', appId: 'abc' }).map((e) => e.message), ['must match ^(\\d+|Iv[0-9A-Za-z.]+)$']);
  });

  it('checks types and patterns of the settings that are present', () => {
    const shopify = catalog.require('shopify');
    assert.deepEqual(checkConnectionConfig(shopify, 'oauth2', { shop: 'acme', apiVersion: '2026-02' }).map((e) => e.field), ['connectionConfig.apiVersion']);
    assert.deepEqual(checkConnectionConfig(shopify, 'oauth2', { shop: 7 }).map((e) => e.message), ['must be a string, got number']);
  });
});
