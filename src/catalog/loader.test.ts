import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadCatalog } from './loader.ts';
import { CatalogError } from './errors.ts';
import { VALID_YAML, tempCatalog } from './test-fixtures.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** Loads a temp catalog holding `acme.yaml` (and any extra files) and returns the error it throws. */
async function loadError(acme: string, extra: Record<string, string> = {}): Promise<CatalogError> {
  const { dir, cleanup } = await tempCatalog({ 'acme.yaml': acme, ...extra });
  cleanups.push(cleanup);
  const err = await loadCatalog(dir).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof CatalogError, `expected a CatalogError, got ${String(err)}`);
  return err;
}

describe('loadCatalog on a bad file', () => {
  it('loads the fixture itself, so each case below breaks exactly one thing', async () => {
    const { dir, cleanup } = await tempCatalog({ 'acme.yaml': VALID_YAML });
    cleanups.push(cleanup);
    const catalog = await loadCatalog(dir);
    assert.deepEqual([...catalog.entries.keys()], ['acme']);
    assert.equal(catalog.require('acme').auth[0]!.mode, 'oauth2');
  });

  it('names the file and the path of an unknown key', async () => {
    const err = await loadError(VALID_YAML.replace('api:\n  baseUrl:', 'api:\n  baseURL: https://x.test\n  baseUrl:'));
    assert.match(err.message, /acme\.yaml: api\.baseURL: unknown key/);
    assert.deepEqual(err.errors.map((e) => e.field), ['api.baseURL']);
  });

  it('names an unknown key nested in an auth spec by index', async () => {
    const err = await loadError(VALID_YAML.replace('    pkce: required', '    pkce: required\n    pkceMethod: S256'));
    assert.match(err.message, /acme\.yaml: auth\.0\.pkceMethod: unknown key/);
  });

  it('names the file and the path of a wrong type', async () => {
    const err = await loadError(VALID_YAML.replace('points: 10', 'points: ten'));
    assert.match(err.message, /acme\.yaml: rateLimits\.limits\.0\.points: /);
    assert.match(err.message, /number/);
  });

  it('names the path of a URL that is not http(s)', async () => {
    const err = await loadError(VALID_YAML.replace('tokenUrl: https://${connectionConfig.tenant}.acme.test/oauth/token', 'tokenUrl: ftp://acme.test/token'));
    assert.match(err.message, /acme\.yaml: auth\.0\.tokenUrl: must be an http\(s\) URL/);
  });

  it('refuses a URL that starts right but does not parse', async () => {
    const err = await loadError(VALID_YAML.replace('baseUrl: https://${connectionConfig.tenant}.acme.test/api', 'baseUrl: "https://exa mple.com/api"'));
    assert.match(err.message, /api\.baseUrl: must be an http\(s\) URL \(after template expansion\)/);
  });

  it('names an unknown auth mode with the modes it accepts', async () => {
    const err = await loadError(VALID_YAML.replace('  - mode: api_key', '  - mode: oauth3'));
    assert.match(err.message, /acme\.yaml: auth\.1\.mode: unknown auth mode; expected one of oauth2, client_credentials/);
  });

  it('names a missing required field', async () => {
    const err = await loadError(VALID_YAML.replace('      refreshTokenRotation: "yes"\n', '      expiresInField: expires_in\n'));
    assert.match(err.message, /auth\.0\.tokenResponse\.refreshTokenRotation: /);
  });

  it('refuses a template that names an undeclared connection setting', async () => {
    const err = await loadError(VALID_YAML.replace('baseUrl: https://${connectionConfig.tenant}', 'baseUrl: https://${connectionConfig.region}'));
    assert.match(err.message, /api\.baseUrl: template refers to connectionConfig\.region, which connectionConfig does not declare/);
  });

  it('refuses a template that is not a connectionConfig reference', async () => {
    const err = await loadError(VALID_YAML.replace('baseUrl: https://${connectionConfig.tenant}', 'baseUrl: https://${env.HOST}'));
    assert.match(err.message, /api\.baseUrl: template \$\{env\.HOST\} must look like/);
  });

  it('refuses the same auth mode twice', async () => {
    const err = await loadError(VALID_YAML.replace('  - mode: api_key', '  - mode: api_key\n  - mode: api_key'));
    assert.match(err.message, /auth\.2\.mode: auth mode api_key appears twice/);
  });

  it('refuses a connection setting named like a per-connection URL override', async () => {
    const err = await loadError(`${VALID_YAML}  tokenUrl:\n    type: url\n    description: x\n`);
    assert.match(err.message, /connectionConfig\.tokenUrl: tokenUrl is reserved/);
  });

  it('refuses a default that breaks its own pattern, and a pattern that is not a regex', async () => {
    const err = await loadError(`${VALID_YAML}    default: UPPER\n  region:\n    type: string\n    description: x\n    pattern: "(["\n`);
    assert.match(err.message, /connectionConfig\.tenant\.default: does not match pattern/);
    assert.match(err.message, /connectionConfig\.region\.pattern: is not a valid regular expression/);
  });

  it('reports a YAML syntax error with the file name', async () => {
    const err = await loadError('id: acme\nauth: [\n');
    assert.match(err.message, /acme\.yaml: YAML syntax: /);
  });

  it('refuses a duplicated YAML key instead of keeping the last one', async () => {
    const err = await loadError(VALID_YAML.replace('displayName: Acme', 'displayName: Acme\ndisplayName: Other'));
    assert.match(err.message, /acme\.yaml: YAML syntax: Map keys must be unique/);
  });

  it('refuses an id that differs from the file name', async () => {
    const err = await loadError(VALID_YAML.replace('id: acme', 'id: acme-two'));
    assert.match(err.message, /acme\.yaml: id: is "acme-two" but the file is named acme\.yaml/);
  });

  it('names the broken file when the others are fine', async () => {
    const err = await loadError(VALID_YAML, { 'zeta.yaml': VALID_YAML.replace('id: acme', 'id: zeta').replace('scope: account', 'scope: galaxy') });
    assert.match(err.message, /zeta\.yaml: rateLimits\.limits\.0\.scope: /);
    assert.doesNotMatch(err.message, /acme\.yaml/);
  });

  it('refuses a .yml file rather than skipping its provider', async () => {
    const err = await loadError(VALID_YAML, { 'zeta.yml': VALID_YAML.replace('id: acme', 'id: zeta') });
    assert.match(err.message, /zeta\.yml: catalog files end in \.yaml/);
  });

  it('reports every fault of a file in one error', async () => {
    const err = await loadError(VALID_YAML.replace('points: 10', 'points: ten').replace('displayName: Acme', 'displayName: Acme\ncolour: red'));
    assert.deepEqual(err.errors.map((e) => e.field).sort(), ['colour', 'rateLimits.limits.0.points']);
  });
});
