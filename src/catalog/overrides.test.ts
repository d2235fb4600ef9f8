import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CatalogError } from './errors.ts';
import { loadCatalog, type Catalog } from './loader.ts';
import { applyOverrides, overrideKeys, parseCatalogOverrides } from './overrides.ts';
import { CATALOG_DIR, VALID_YAML, tempCatalog } from './test-fixtures.ts';

let catalog: Catalog;
const cleanups: (() => Promise<void>)[] = [];
before(async () => {
  catalog = await loadCatalog(CATALOG_DIR);
});
after(async () => {
  for (const c of cleanups) await c();
});

describe('parseCatalogOverrides', () => {
  it('reads the CATALOG_OVERRIDES JSON shape', () => {
    const parsed = parseCatalogOverrides('{"hubspot":{"api.baseUrl":"http://127.0.0.1:4010","auth.oauth2.tokenUrl":"http://127.0.0.1:4010/oauth/v1/token"}}');
    assert.deepEqual(parsed, { hubspot: { 'api.baseUrl': 'http://127.0.0.1:4010', 'auth.oauth2.tokenUrl': 'http://127.0.0.1:4010/oauth/v1/token' } });
  });

  it('refuses text that is not JSON, naming the source', () => {
    assert.throws(() => parseCatalogOverrides('{hubspot', 'CATALOG_OVERRIDES'), (e: unknown) => e instanceof CatalogError && /^CATALOG_OVERRIDES: not valid JSON/.test(e.message));
  });

  it('refuses a value that is not a URL, naming provider and key', () => {
    assert.throws(() => parseCatalogOverrides('{"hubspot":{"api.baseUrl":42}}'), /CATALOG_OVERRIDES: hubspot\.api\.baseUrl: /);
    assert.throws(() => parseCatalogOverrides('{"hubspot":{"api.baseUrl":"file:///etc/passwd"}}'), /hubspot\.api\.baseUrl: must be an http\(s\) URL/);
  });
});

describe('applyOverrides', () => {
  it('lists the overridable URLs by mode name, not array index', () => {
    assert.deepEqual(overrideKeys(catalog.require('google')).sort(), [
      'api.additionalBaseUrls.drive', 'api.baseUrl',
      'auth.oauth2.authorizationUrl', 'auth.oauth2.revokeUrl', 'auth.oauth2.tokenUrl',
      'auth.service_account.tokenUrl',
    ]);
    assert.ok(overrideKeys(catalog.require('github')).includes('auth.github_app.installationTokenUrl'));
  });

  it('replaces the named URLs and leaves the original entry alone', () => {
    const hubspot = catalog.require('hubspot');
    const out = applyOverrides(hubspot, { 'api.baseUrl': 'http://127.0.0.1:4010', 'auth.oauth2.tokenUrl': 'http://127.0.0.1:4010/oauth/v1/token' });
    assert.equal(out.api.baseUrl, 'http://127.0.0.1:4010');
    const oauth = out.auth.find((a) => a.mode === 'oauth2');
    assert.ok(oauth?.mode === 'oauth2');
    assert.equal(oauth.tokenUrl, 'http://127.0.0.1:4010/oauth/v1/token');
    assert.equal(oauth.authorizationUrl, 'https://app.hubspot.com/oauth/authorize');
    assert.equal(hubspot.api.baseUrl, 'https://api.hubapi.com');
  });

  it('overrides an additional base URL by name', () => {
    const out = applyOverrides(catalog.require('google'), { 'api.additionalBaseUrls.drive': 'http://127.0.0.1:4020' });
    assert.equal(out.api.additionalBaseUrls.drive, 'http://127.0.0.1:4020');
    assert.equal(out.api.baseUrl, 'https://sheets.googleapis.com');
  });

  it('refuses an unknown key and says which keys exist', () => {
    assert.throws(() => applyOverrides(catalog.require('hubspot'), { 'api.baseurl': 'http://x.test' }),
      /catalog overrides for hubspot: api\.baseurl: not an overridable URL of hubspot \(known: api\.baseUrl, auth\.oauth2\.authorizationUrl, auth\.oauth2\.tokenUrl\)/);
  });

  it('refuses a key for an auth mode the provider does not have', () => {
    assert.throws(() => applyOverrides(catalog.require('hubspot'), { 'auth.jwt_bearer.tokenUrl': 'http://x.test' }), /auth\.jwt_bearer\.tokenUrl: not an overridable URL/);
    assert.throws(() => applyOverrides(catalog.require('stripe'), { 'auth.api_key.tokenUrl': 'http://x.test' }), /auth\.api_key\.tokenUrl: not an overridable URL/);
  });

  it('refuses an override whose template names an undeclared setting', () => {
    assert.throws(() => applyOverrides(catalog.require('hubspot'), { 'api.baseUrl': 'https://${connectionConfig.portal}.hubapi.test' }),
      /api\.baseUrl: template refers to connectionConfig\.portal/);
  });
});

describe('loadCatalog with overrides', () => {
  it('applies them to the named providers only', async () => {
    const c = await loadCatalog(CATALOG_DIR, { overrides: { stripe: { 'api.baseUrl': 'http://127.0.0.1:4030' } } });
    assert.equal(c.require('stripe').api.baseUrl, 'http://127.0.0.1:4030');
    assert.equal(c.require('hubspot').api.baseUrl, 'https://api.hubapi.com');
  });

  it('refuses overrides for a provider that is not in the catalog', async () => {
    const { dir, cleanup } = await tempCatalog({ 'acme.yaml': VALID_YAML });
    cleanups.push(cleanup);
    await assert.rejects(loadCatalog(dir, { overrides: { acmee: { 'api.baseUrl': 'http://x.test' } } }), /catalog overrides: acmee: no provider "acmee" .*known: acme\)/);
  });
});
