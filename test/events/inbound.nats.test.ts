import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { call } from '../helpers/http.ts';
import { waitFor } from '../helpers/wait.ts';
import { startGoogle } from '../../sandbox/google/index.ts';
import { NatsBus } from '../../src/events/bus/nats.ts';
import { createEvent } from '../../src/events/bus/envelope.ts';

/**
 * Inbound domain events, end to end on real parts: another system publishes
 * `request.created` on NATS JetStream; the hub's subscription maps it and
 * appends a row to a Google Sheet (the Sheets fake) through the connector,
 * authenticated as a service account.
 */
const run = `in${randomBytes(4).toString('hex')}`;
let fake: Awaited<ReturnType<typeof startGoogle>>;
let t: TestHub;
let publisher: NatsBus;
const SHEET = 'Requests';

before(async () => {
  fake = await startGoogle();
  t = await startTestHub({
    env: { BUS_URL: 'nats://127.0.0.1:4222', BUS_TOPIC_TEMPLATE: `${run}.{tenant}.{type}`, SUBSCRIPTION_REFRESH_MS: '200', WORKER_POLL_MS: '20', RATE_LIMIT_MAX: '100000' },
  });
  await t.hub.listen();
  publisher = await NatsBus.connect({ servers: ['127.0.0.1:4222'] });
});
after(async () => {
  await publisher?.deleteStream(`${run}.x`).catch(() => undefined);
  await publisher?.close();
  await t?.close();
  await fake?.close();
});

test('request.created on NATS becomes a mapped row in the Google Sheets fake', async () => {
  const spreadsheetId = String(fake.credentials.spreadsheetId);
  const seeded = await fetch(`${fake.url}/_sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spreadsheets: [{ id: spreadsheetId, sheets: [{ title: SHEET, rows: [['Request', 'Requester', 'Email', 'Priority']] }] }] }) });
  assert.equal(seeded.status, 200);
  const base = (await t.hub.api.server.address()) as { port: number };
  const api = (path: string, init: Parameters<typeof call>[1] = {}) => call(`http://127.0.0.1:${base.port}/api/v1${path}`, { key: t.adminKey, ...init });

  const conn = await api('/connections', {
    method: 'POST',
    json: {
      provider: 'google', externalId: 'requests-sheet', authMode: 'service_account',
      config: { baseUrl: fake.url, tokenUrl: String(fake.credentials.tokenUrl) },
      credentials: { clientEmail: fake.credentials.serviceAccountEmail, privateKey: fake.credentials.serviceAccountPrivateKey },
    },
  });
  assert.equal(conn.status, 201, conn.text);

  const sub = await api('/subscriptions', {
    method: 'POST',
    json: {
      name: 'requests to the sheet', eventTypes: 'request.created',
      action: {
        kind: 'connector', connectionId: conn.body.id, model: 'rows', params: { spreadsheetId, sheet: SHEET, keyColumn: 'Email' },
        mapping: {
          version: 1, name: 'request-to-row',
          fields: [
            { source: 'title', target: 'Request', transform: ['trim'] },
            { source: 'requester.name', target: 'Requester' },
            { source: 'requester.email', target: 'Email', type: 'email', transform: ['email_normalize'] },
            { source: 'priority', target: 'Priority', transform: [{ fn: 'lookup', args: { table: { high: 'P1', normal: 'P2', low: 'P3' }, default: 'P2' } }] },
          ],
        },
      },
    },
  });
  assert.equal(sub.status, 201, sub.text);
  await new Promise((r) => setTimeout(r, 600));

  const event = createEvent({ type: 'request.created', tenant: t.tenantId, source: '/helpdesk', data: { title: '  New laptop  ', requester: { name: 'Ada Lovelace', email: 'ADA@Example.COM' }, priority: 'high' } });
  await publisher.publish(`${run}.${t.tenantId}.request.created`, event, 'ada');
  // The same event again (a producer retry): the subscription delivers it once.
  await publisher.publish(`${run}.${t.tenantId}.request.created`, event, 'ada');

  const readSheet = async () => {
    const res = await fetch(`${fake.url}/v4/spreadsheets/${spreadsheetId}/values/${encodeURIComponent(`${SHEET}!A1:D10`)}`, { headers: { authorization: `Bearer ${fake.credentials.accessToken}` } });
    return ((await res.json()) as { values?: string[][] }).values ?? [];
  };
  await waitFor(async () => (await readSheet()).length >= 2, 30_000, 100);
  const values = await readSheet();
  assert.deepEqual(values, [['Request', 'Requester', 'Email', 'Priority'], ['New laptop', 'Ada Lovelace', 'ada@example.com', 'P1']]);
  const deliveries = (await api(`/subscriptions/${sub.body.id}/deliveries`)).body.items;
  assert.equal(deliveries.length, 1, 'the duplicate was enqueued once');
  assert.equal(deliveries[0].status, 'completed');
});
