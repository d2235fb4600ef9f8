import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { call } from '../helpers/http.ts';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';

type Fake = Awaited<ReturnType<typeof startHubSpot>>;

/**
 * The Actions API and the proxy over a real hub and the HubSpot fake: a
 * stored API-key connection, model operations batched by the connector, and
 * the pass-through proxy, which forwards method, query, body and auth and
 * never returns the token.
 */
describe('Actions API and proxy against the HubSpot fake', () => {
  let t: TestHub;
  let base: string;
  let fake: Fake;
  let connectionId: string;
  const token = () => String(fake.credentials.accessToken);

  before(async () => {
    fake = await startHubSpot();
    t = await startTestHub({ env: { RATE_LIMIT_MAX: '100000' } });
    base = await t.hub.listen();
    const created = await call(`${base}/api/v1/connections`, {
      method: 'POST', key: t.adminKey,
      json: { provider: 'hubspot', externalId: 'acme-crm', authMode: 'api_key', config: { baseUrl: fake.url }, credentials: { apiKey: token() } },
    });
    assert.equal(created.status, 201, created.text);
    assert.ok(!created.text.includes(token()), 'the key is never returned');
    connectionId = created.body.id;
  });
  after(async () => {
    await t?.close();
    await fake?.close();
  });

  const api = (path: string, init: Parameters<typeof call>[1] = {}) => call(`${base}/api/v1${path}`, { key: t.adminKey, ...init });

  test('GET /connectors lists every shipped connector with its models', async () => {
    const res = await api('/connectors');
    assert.equal(res.status, 200);
    const hubspot = res.body.items.find((c: { id: string }) => c.id === 'hubspot');
    assert.ok(hubspot, 'hubspot is listed');
    assert.ok(hubspot.models.some((m: { name: string }) => m.name === 'contacts'));
    assert.equal(hubspot.connections, 1);
    for (const id of ['monday', 'github', 'salesforce', 'google', 'notion', 'stripe', 'wordpress']) assert.ok(res.body.items.some((c: { id: string }) => c.id === id), `${id} is listed`);
  });

  test('upsert a batch larger than the provider limit, list it back, delete one', async () => {
    const records = Array.from({ length: 130 }, (_, i) => ({ record: { properties: { email: `actions-${i}@example.com`, firstname: `A${i}`, lastname: 'Actions' } } }));
    const res = await api(`/connections/${connectionId}/models/contacts/records`, { method: 'POST', json: { records } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.results.length, 130);
    assert.ok(res.body.results.every((r: { ok: boolean }) => r.ok), JSON.stringify(res.body.results.find((r: { ok: boolean }) => !r.ok)));
    const batchCalls = (await (await fetch(`${fake.url}/_sandbox/requests?method=POST&pathPrefix=/crm/v3/objects/contacts/batch`)).json()) as { count: number };
    assert.equal(batchCalls.count, 2, '130 records in two batch calls (100 + 30)');

    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api(`/connections/${connectionId}/models/contacts/records${q}`);
      assert.equal(page.status, 200, page.text);
      for (const r of page.body.records) seen.add(r.record.properties.email);
      cursor = page.body.nextCursor;
    } while (cursor);
    for (let i = 0; i < 130; i++) assert.ok(seen.has(`actions-${i}@example.com`));

    const id = res.body.results[0].id;
    const del = await api(`/connections/${connectionId}/models/contacts/records/${id}`, { method: 'DELETE' });
    assert.equal(del.status, 200, del.text);
    const gone = await fetch(`${fake.url}/crm/v3/objects/contacts/${id}`, { headers: { authorization: `Bearer ${token()}` } });
    assert.equal(gone.status, 404);
  });

  test('a connector turned off for the tenant answers 409 until it is on again', async () => {
    const off = await api('/connectors/hubspot', { method: 'PATCH', json: { enabled: false } });
    assert.deepEqual(off.body, { id: 'hubspot', enabled: false });
    assert.equal((await api('/connectors')).body.items.find((c: { id: string }) => c.id === 'hubspot').enabled, false);
    const refused = await api(`/connections/${connectionId}/models/contacts/records`);
    assert.equal(refused.status, 409);
    assert.match(refused.body.detail, /turned off/);
    await api('/connectors/hubspot', { method: 'PATCH', json: { enabled: true } });
    assert.equal((await api(`/connections/${connectionId}/models/contacts/records`)).status, 200);
    assert.equal((await api('/connectors/nope', { method: 'PATCH', json: { enabled: true } })).status, 404);
  });

  test('an unknown model is a 404 naming the models', async () => {
    const res = await api(`/connections/${connectionId}/models/tickets/records`);
    assert.equal(res.status, 404);
    assert.match(res.body.detail, /contacts/);
  });

  test('the proxy forwards method, query, body and auth, and never leaks the token', async () => {
    const created = await api(`/proxy/${connectionId}/crm/v3/objects/contacts`, { method: 'POST', json: { properties: { email: 'proxy@example.com', firstname: 'Pro' } } });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    const got = await api(`/proxy/${connectionId}/crm/v3/objects/contacts/${id}?properties=email,firstname`);
    assert.equal(got.status, 200);
    assert.equal(got.body.properties.email, 'proxy@example.com');
    assert.ok(!got.text.includes(token()) && ![...got.headers.values()].some((v) => v.includes(token())), 'no token in the body or headers');
    const log = (await (await fetch(`${fake.url}/_sandbox/requests?pathPrefix=/crm/v3/objects/contacts/${id}`)).json()) as { requests: { method: string; query: Record<string, string> }[] };
    assert.equal(log.requests.at(-1)!.query.properties, 'email,firstname', 'the query string was forwarded');
    const missing = await api(`/proxy/${connectionId}/crm/v3/objects/contacts/999999999`);
    assert.equal(missing.status, 404, 'provider statuses come back as they are');
    const noAuth = await call(`${base}/api/v1/proxy/${connectionId}/crm/v3/objects/contacts`);
    assert.equal(noAuth.status, 401);
  });
});
