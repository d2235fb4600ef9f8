import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import helmet from 'helmet';
import { startTestHub, type TestHub } from '../../test/helpers/hub.ts';
import { createApiKey } from '../tenancy/tenants.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => any }, status: number, code: string): any {
  assert.equal(res.statusCode, status);
  assert.equal(res.headers['content-type'], PROBLEM);
  const body = res.json();
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, `urn:switchyard:problem:${code}`);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.instance, 'string');
  return body;
}

describe('API shell', () => {
  let t: TestHub;
  let readOnlyKey: string;
  before(async () => {
    t = await startTestHub({ env: { RATE_LIMIT_MAX: '1000' } });
    readOnlyKey = (await createApiKey(t.hub.store, t.tenantId, { name: 'ro', scopes: ['webhooks:read'] }, { id: 'test' })).key;
  });
  after(() => t.close());

  const auth = (key = t.adminKey) => ({ authorization: `Bearer ${key}` });

  test('GET /health needs no key', async () => {
    const res = await t.hub.api.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    assert.match(String(res.headers['x-request-id']), /^req_/);
  });

  test('every response carries the headers helmet itself sets, with no CSP (the docs UI sets its own)', async () => {
    // The oracle: helmet as real middleware on a plain node:http server.
    const server = createServer((req, res) => helmet({ contentSecurityPolicy: false })(req, res, () => res.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const real = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await real.text();
    server.close();
    const expected = [...real.headers].filter(([name]) => !['content-length', 'date', 'connection', 'keep-alive', 'content-type', 'transfer-encoding'].includes(name));
    assert.ok(expected.length >= 8, `helmet set ${expected.length} headers`);
    for (const url of ['/health', '/api/v1/webhooks/github/src_missing', '/api/v1/webhook-sources']) {
      const res = await t.hub.api.inject({ method: url.includes('/webhooks/github') ? 'POST' : 'GET', url });
      for (const [name, value] of expected) assert.equal(res.headers[name], value, `${url}: ${name}`);
      assert.equal(res.headers['content-security-policy'], undefined);
      assert.equal(res.headers['x-powered-by'], undefined);
    }
  });

  test('GET /health/detailed reports the database and migrations', async () => {
    assertProblem(await t.hub.api.inject({ method: 'GET', url: '/health/detailed' }), 401, 'unauthorized');
    const res = await t.hub.api.inject({ method: 'GET', url: '/health/detailed', headers: auth() });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.database.dialect, 'sqlite');
    assert.equal(body.database.ok, true);
    assert.equal(body.database.migrationsCurrent, true);
    assert.deepEqual(Object.keys(body.queue.byStatus).sort(), ['completed', 'dead', 'pending', 'processing', 'retrying']);
    assert.equal(body.queue.oldestDueAgeMs, 0);
  });

  test('401 for a missing, malformed or wrong key, as problem+json', async () => {
    const missing = assertProblem(await t.hub.api.inject({ method: 'GET', url: '/api/v1/me' }), 401, 'unauthorized');
    assert.match(missing.detail, /Bearer/);
    assertProblem(await t.hub.api.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer nope' } }), 401, 'unauthorized');
    const wrong = t.adminKey.slice(0, -2) + (t.adminKey.endsWith('AA') ? 'BB' : 'AA');
    const res = await t.hub.api.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${wrong}` } });
    assertProblem(res, 401, 'unauthorized');
    assert.ok(!res.body.includes(wrong), 'the presented key is not echoed');
  });

  test('403 when the key lacks the route\'s scope', async () => {
    const body = assertProblem(await t.hub.api.inject({ method: 'GET', url: '/api/v1/keys', headers: auth(readOnlyKey) }), 403, 'forbidden');
    assert.match(body.detail, /admin/);
    const me = await t.hub.api.inject({ method: 'GET', url: '/api/v1/me', headers: auth(readOnlyKey) });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json().scopes, ['webhooks:read']);
  });

  test('404 for an unknown route and an unknown key id', async () => {
    assertProblem(await t.hub.api.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'route_not_found');
    assertProblem(await t.hub.api.inject({ method: 'GET', url: '/api/v1/keys/key_missing', headers: auth() }), 404, 'not_found');
  });

  test('422 names every field at fault', async () => {
    const res = await t.hub.api.inject({ method: 'POST', url: '/api/v1/keys', headers: auth(), payload: { scopes: ['nope'], extra: 1 } });
    const body = assertProblem(res, 422, 'validation_failed');
    const fields = body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['body/extra', 'body/name', 'body/scopes/0']);
  });

  test('400 for malformed JSON', async () => {
    const res = await t.hub.api.inject({ method: 'POST', url: '/api/v1/keys', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"name":' });
    const body = assertProblem(res, 400, 'invalid_json');
    assert.equal(body.errors[0].field, 'body');
  });

  test('413 for a body over the limit', async () => {
    const res = await t.hub.api.inject({ method: 'POST', url: '/api/v1/keys', headers: { ...auth(), 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), scopes: ['admin'] }) });
    assertProblem(res, 413, 'payload_too_large');
  });

  test('creating a key returns it once, audits it, and never lists the secret', async () => {
    const res = await t.hub.api.inject({ method: 'POST', url: '/api/v1/keys', headers: { ...auth(), 'x-request-id': 'trace-create-key-1' }, payload: { name: 'ci', scopes: ['webhooks:write'] } });
    assert.equal(res.statusCode, 201);
    const created = res.json();
    assert.match(created.key, /^sy_[a-z0-9]{12}_/);
    const list = await t.hub.api.inject({ method: 'GET', url: '/api/v1/keys', headers: auth() });
    assert.ok(!list.body.includes(created.key.slice(16)), 'the secret part never appears again');
    assert.ok(list.json().items.some((k: { id: string }) => k.id === created.id));

    const auditRes = await t.hub.api.inject({ method: 'GET', url: '/api/v1/audit-log?action=api_key.create', headers: auth() });
    const entry = auditRes.json().items.find((e: { target: string }) => e.target === created.id);
    assert.equal(entry.requestId, 'trace-create-key-1');
    assert.match(entry.actor, /^key_/);
    assert.ok(!auditRes.body.includes(created.key), 'the audit log holds no key');

    const del = await t.hub.api.inject({ method: 'DELETE', url: `/api/v1/keys/${created.id}`, headers: auth() });
    assert.equal(del.statusCode, 204);
    assertProblem(await t.hub.api.inject({ method: 'GET', url: '/api/v1/me', headers: auth(created.key) }), 401, 'unauthorized');
    assertProblem(await t.hub.api.inject({ method: 'DELETE', url: `/api/v1/keys/${created.id}`, headers: auth() }), 409, 'conflict');
  });

  test('secrets in headers never reach the logs', async () => {
    await t.hub.api.inject({ method: 'GET', url: '/api/v1/keys/key_missing', headers: auth() });
    t.hub.logger.info({ headers: { authorization: `Bearer ${t.adminKey}` }, clientSecret: 'hunter2-very-secret' }, 'probe');
    const text = t.logs.join('');
    assert.ok(text.includes('probe'), 'logs were captured');
    assert.ok(!text.includes(t.adminKey), 'the API key is not logged');
    assert.ok(!text.includes('hunter2-very-secret'), 'a field named like a secret is masked');
    t.hub.redactor.add('vault-plaintext-value');
    t.hub.logger.info({ note: 'value is vault-plaintext-value here' }, 'vault-plaintext-value in message');
    assert.ok(!t.logs.join('').includes('vault-plaintext-value'), 'registered values are masked in fields and messages');
  });

  test('the OpenAPI document is valid OpenAPI 3.1 and lists the routes', async () => {
    const res = await t.hub.api.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
    for (const path of ['/health', '/health/detailed', '/api/v1/keys', '/api/v1/keys/{id}', '/api/v1/audit-log', '/api/v1/me']) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    const docs = await t.hub.api.inject({ method: 'GET', url: '/docs' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  test('/metrics parses as Prometheus text with request histograms', async () => {
    await t.hub.api.inject({ method: 'GET', url: '/health' });
    const res = await t.hub.api.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const lines = res.body.split('\n').filter((l) => l && !l.startsWith('#'));
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf)$/;
    for (const line of lines) assert.match(line, sample);
    assert.ok(lines.some((l) => l.startsWith('http_request_duration_seconds_bucket{') && l.includes('route="/health"')));
    assert.ok(res.body.includes('# TYPE http_request_duration_seconds histogram'));
  });
});

describe('API rate limit', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  after(() => t.close());

  test('answers 429 problem+json with Retry-After once a key exceeds its budget', async () => {
    const headers = { authorization: `Bearer ${t.adminKey}` };
    for (let i = 0; i < 3; i++) assert.equal((await t.hub.api.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode, 200);
    const res = await t.hub.api.inject({ method: 'GET', url: '/api/v1/me', headers });
    assertProblem(res, 429, 'rate_limited');
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, `Retry-After is ${res.headers['retry-after']}`);
    // The budget is per key: another key of the same tenant is unaffected.
    const other = await createApiKey(t.hub.store, t.tenantId, { name: 'other', scopes: ['admin'] }, { id: 'test' });
    assert.equal((await t.hub.api.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${other.key}` } })).statusCode, 200);
    // Liveness is never rate limited.
    for (let i = 0; i < 5; i++) assert.equal((await t.hub.api.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  });
});
