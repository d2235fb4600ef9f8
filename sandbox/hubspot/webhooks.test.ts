import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Signature } from '@hubspot/api-client';
import { startHubSpot } from './index.ts';
import { signatureHeaders, type HubSpotEvent } from './webhooks.ts';
import { startReceiver, type Receiver } from '../core/test-receiver.ts';

/** Every delivery the fake sends must verify with the SDK's own Signature.isValid. */
const fake = await startHubSpot();
const secret = fake.credentials.clientSecret ?? '';
const hs = new Client({ accessToken: fake.credentials.accessToken, basePath: fake.url });
let receiver: Receiver;

before(async () => {
  receiver = await startReceiver();
});
after(async () => {
  await fake.close();
  await receiver.close();
});

async function subscribe(events: string[], id: string): Promise<void> {
  const res = await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, events, secret, id }),
  });
  assert.equal(res.status, 201);
}

const setVersion = (v: 'v1' | 'v2' | 'v3') => fetch(`${fake.url}/_sandbox/knobs`, {
  method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhookSignatureVersion: v }),
});

const header = (h: Record<string, string | string[] | undefined>, name: string) => String(h[name.toLowerCase()] ?? '');

describe('HubSpot webhooks', () => {
  test('the v1 and v2 signatures match the vendor-published vectors', () => {
    const body = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    const s = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
    assert.equal(signatureHeaders('v1', s, 'POST', '', body, 0)['X-HubSpot-Signature'], '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
    assert.equal(signatureHeaders('v2', s, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}', 0)['X-HubSpot-Signature'],
      '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900');
    assert.equal(signatureHeaders('v3', s, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}', 1700000000000)['X-HubSpot-Signature-v3'],
      'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });

  test('a UI creation sends contact.creation and propertyChange arrays signed v3 by default', async () => {
    await subscribe(['contact.creation', 'contact.propertyChange'], '101');
    const res = await fetch(`${fake.url}/_sandbox/hubspot/objects/contacts`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { email: 'ui@example.org', firstname: 'Ui' } }),
    });
    assert.equal(res.status, 201);
    const created = await res.json() as { id: string };
    const got = await receiver.waitFor(2);
    for (const d of got) {
      assert.equal(Signature.isValid({
        signatureVersion: 'v3', signature: header(d.headers, 'X-HubSpot-Signature-v3'), clientSecret: secret,
        requestBody: d.body, url: receiver.url, method: 'POST', timestamp: Number(header(d.headers, 'X-HubSpot-Request-Timestamp')),
      }), true);
      assert.equal(Signature.isValid({ signatureVersion: 'v3', signature: header(d.headers, 'X-HubSpot-Signature-v3'), clientSecret: 'wrong',
        requestBody: d.body, url: receiver.url, method: 'POST', timestamp: Number(header(d.headers, 'X-HubSpot-Request-Timestamp')) }), false);
    }
    const events = got.flatMap((d) => JSON.parse(d.body) as HubSpotEvent[]);
    const creation = events.find((e) => e.subscriptionType === 'contact.creation');
    assert.equal(creation?.objectId, Number(created.id));
    assert.equal(creation?.changeFlag, 'NEW');
    assert.equal(creation?.changeSource, 'CRM_UI');
    assert.equal(creation?.subscriptionId, 101);
    assert.equal(creation?.portalId, 62515);
    const changes = events.filter((e) => e.subscriptionType === 'contact.propertyChange').map((e) => [e.propertyName, e.propertyValue]).sort();
    assert.deepEqual(changes, [['email', 'ui@example.org'], ['firstname', 'Ui']]);
    receiver.received.length = 0;
  });

  test('an API update sends propertyChange signed v1 when the knob says so', async () => {
    await setVersion('v1');
    const c = await hs.crm.contacts.basicApi.create({ properties: { email: 'v1@example.org' }, associations: [] });
    await receiver.waitFor(2);
    receiver.received.length = 0;
    await hs.crm.contacts.basicApi.update(c.id, { properties: { lastname: 'Signed' } });
    const [d] = await receiver.waitFor(1);
    assert.ok(d);
    assert.equal(header(d.headers, 'X-HubSpot-Signature-Version'), 'v1');
    assert.equal(Signature.isValid({ signatureVersion: 'v1', signature: header(d.headers, 'X-HubSpot-Signature'), clientSecret: secret, requestBody: d.body }), true);
    const [e] = JSON.parse(d.body) as HubSpotEvent[];
    assert.deepEqual([e?.subscriptionType, e?.propertyName, e?.propertyValue, e?.changeSource], ['contact.propertyChange', 'lastname', 'Signed', 'API']);
    receiver.received.length = 0;
  });

  test('v2 deliveries verify with the SDK too', async () => {
    await setVersion('v2');
    await subscribe(['company.creation'], '102');
    await hs.crm.companies.basicApi.create({ properties: { name: 'V2 Co' }, associations: [] });
    const [d] = await receiver.waitFor(1);
    assert.ok(d);
    assert.equal(Signature.isValid({ signatureVersion: 'v2', signature: header(d.headers, 'X-HubSpot-Signature'), clientSecret: secret,
      requestBody: d.body, url: receiver.url, method: 'POST' }), true);
    receiver.received.length = 0;
  });

  test('a failed delivery is retried with a higher attemptNumber and a fresh valid signature', async () => {
    await setVersion('v3');
    await subscribe(['deal.deletion'], '103');
    fake.ctx.webhooks.retryDelaysMs = [20, 20];
    receiver.statuses.push(500);
    const deal = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Doomed' }, associations: [] });
    await hs.crm.deals.basicApi.archive(deal.id);
    const got = await receiver.waitFor(2);
    const attempts = got.map((d) => (JSON.parse(d.body) as HubSpotEvent[])[0]);
    assert.deepEqual(attempts.map((e) => [e?.subscriptionType, e?.attemptNumber, e?.changeFlag]), [['deal.deletion', 0, 'DELETED'], ['deal.deletion', 1, 'DELETED']]);
    for (const d of got) {
      assert.equal(Signature.isValid({ signatureVersion: 'v3', signature: header(d.headers, 'X-HubSpot-Signature-v3'), clientSecret: secret,
        requestBody: d.body, url: receiver.url, method: 'POST', timestamp: Number(header(d.headers, 'X-HubSpot-Request-Timestamp')) }), true);
    }
    await fake.ctx.webhooks.drain();
    const statuses = fake.ctx.webhooks.deliveries.filter((d) => d.eventType === 'deal.deletion').map((d) => d.status);
    assert.deepEqual(statuses, [500, 200]);
  });

  test('a batch write of 150 records is split into requests of at most 100 events', async () => {
    receiver.received.length = 0;
    await subscribe(['company.creation'], '104');
    const sub = fake.ctx.webhooks.subscriptions.get('102');
    if (sub) sub.events = ['none'];
    const batch = (n: number, off: number) => ({ inputs: Array.from({ length: n }, (_, i) => ({ properties: { name: `Bulk ${off + i}` }, associations: [] })) });
    await hs.crm.companies.batchApi.create(batch(100, 0));
    await hs.crm.companies.batchApi.create(batch(50, 100));
    const got = await receiver.waitFor(2);
    const sizes = got.map((d) => (JSON.parse(d.body) as unknown[]).length).sort((a, b) => a - b);
    assert.deepEqual(sizes, [50, 100]);
  });
});
