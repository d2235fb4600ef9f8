import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandler, problemSchema } from '../../src/api/problem.ts';
import { conflictRoutes } from '../../src/api/routes/conflicts.ts';
import { mappingRoutes } from '../../src/api/routes/mappings.ts';
import { syncRoutes } from '../../src/api/routes/syncs.ts';
import { EXAMPLE_MAPPING, leadsScenario, startBench, type Bench } from './harness.ts';

/**
 * The mapping, sync and conflict routes over real HTTP, mounted the way
 * app.ts mounts route plugins (problem+json errors, `/api/v1` prefix); the
 * API key layer is stood in for by a fixed principal.
 */
describe('sync API routes', () => {
  let b: Bench;
  let app: FastifyInstance;
  let base: string;
  before(async () => {
    b = await startBench('sqlite');
    app = Fastify({ ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } } });
    app.addSchema(problemSchema);
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (req) => {
      req.principal = { tenantId: b.tenantId, keyId: 'key_test', scopes: ['admin'] };
    });
    app.setErrorHandler(errorHandler);
    await app.register(mappingRoutes({ mappings: b.mappings }), { prefix: '/api/v1' });
    await app.register(syncRoutes({ store: b.store, syncs: b.syncs, streamPollMs: 20 }), { prefix: '/api/v1' });
    await app.register(conflictRoutes({ store: b.store, conflicts: b.conflicts }), { prefix: '/api/v1' });
    base = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
  });
  after(async () => {
    await app?.close();
    await b?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  test('POST /mappings reports every error with its path; YAML is accepted; preview writes nothing', async () => {
    const bad = await call('POST', '/mappings', { spec: { version: 1, name: '', fields: [{ source: 'a', target: 'b', transform: ['no_such_fn'] }, { target: 'c', type: 'enum' }] } });
    assert.equal(bad.status, 422);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    assert.ok(fields.includes('spec.name'), fields.join());
    assert.ok(fields.some((f: string) => f.startsWith('spec.fields[0].transform[0]')), fields.join());
    assert.ok(fields.some((f: string) => f.startsWith('spec.fields[1]')), fields.join());

    const created = await call('POST', '/mappings', { spec: readFileSync(EXAMPLE_MAPPING, 'utf8') });
    assert.equal(created.status, 201);
    assert.equal(created.body.version, 1);
    const next = await call('POST', `/mappings/${created.body.id}/versions`, { spec: { ...created.body.spec, description: 'v2' } });
    assert.equal(next.body.version, 2);
    const got = await call('GET', `/mappings/${created.body.id}`);
    assert.deepEqual(got.body.versions.map((v: { version: number }) => v.version), [2, 1]);

    const preview = await call('POST', `/mappings/${created.body.id}/preview`, {
      records: [{ name: 'Ada Lovelace', columns: { email: { email: 'ADA@example.com' }, status: { label: 'Qualified' } } }, { name: 'No Email' }],
    });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.results[0].record.properties.email, 'ada@example.com');
    assert.equal(preview.body.results[0].record.properties.lifecyclestage, 'salesqualifiedlead');
    assert.equal(preview.body.results[1].ok, false);
    assert.equal(preview.body.results[1].errors[0].field, 'properties.email');
  });

  test('POST /syncs names each bad field; a run streams its progress over SSE to the end', async () => {
    const s = await leadsScenario(b, 50);
    const bad = await call('POST', '/syncs', {
      name: 'x', source: { connectionId: 'conn_missing', model: 'items' }, target: { connectionId: s.hubspotConn, model: 'deals' },
      mappingId: s.mappingId, key: { matchField: 'phone' }, schedule: 'not cron', triggers: ['schedule'], conflictPolicy: 'coin_toss',
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field), ['conflictPolicy']);
    const bad2 = await call('POST', '/syncs', {
      name: 'x', source: { connectionId: 'conn_missing', model: 'items' }, target: { connectionId: s.hubspotConn, model: 'deals' },
      mappingId: s.mappingId, key: { matchField: 'phone' }, schedule: 'not cron', triggers: ['schedule'],
    });
    assert.equal(bad2.status, 422);
    assert.deepEqual(bad2.body.errors.map((e: { field: string }) => e.field).sort(), ['key.matchField', 'schedule', 'source.connectionId']);

    const run = await call('POST', `/syncs/${s.syncId}/run`, { mode: 'full' });
    assert.equal(run.status, 202);
    const res = await fetch(`${base}/syncs/${s.syncId}/runs/${run.body.id}/events`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const stream = await res.text();
    const events = stream.trim().split('\n\n').map((block) => ({ event: /^event: (.*)$/m.exec(block)![1], data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) }));
    assert.equal(events.at(-1)!.event, 'end');
    assert.deepEqual(events.at(-1)!.data, { status: 'completed' });
    const last = events.filter((e) => e.event === 'progress').at(-1)!.data;
    assert.equal(last.progress.created, 50);
    const got = await call('GET', `/syncs/${s.syncId}/runs/${run.body.id}`);
    assert.equal(got.body.status, 'completed');
    assert.equal((await call('GET', '/conflicts?status=open')).body.items.length, 0);
    assert.equal((await call('POST', '/conflicts/cfl_nope/resolve', { side: 'source' })).status, 404);
  });
});
