import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { SANDBOX_WEBHOOK_SECRET, startStripe } from './index.ts';
import { stripeSignature } from './webhooks.ts';
import { startReceiver } from '../core/test-receiver.ts';

/** Every delivery the fake sends must pass stripe.webhooks.constructEvent. */
const fake = await startStripe();
const receiver = await startReceiver();
const stripe = new Stripe('sk_test_unused', { telemetry: false });
after(async () => {
  await fake.close();
  await receiver.close();
});

const control = (path: string, body: unknown, method = 'POST') => fetch(`${fake.url}/_sandbox/stripe${path}`, {
  method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

describe('Stripe webhooks', () => {
  test('the signature matches the PROVIDERS.md vector', () => {
    assert.equal(stripeSignature('whsec_test_secret', '{"id":"evt_test_1","object":"event","type":"customer.created"}', 1700000000),
      't=1700000000,v1=04d2bf28246c9193b661e604bfb64270a80020553d96d093a041ba547392c2cf');
  });

  test('dashboard changes send signed customer events that constructEvent accepts', async () => {
    const sub = await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: [], secret: SANDBOX_WEBHOOK_SECRET }),
    });
    assert.equal(sub.status, 201);
    const created = await (await control('/customers', { name: 'Dash Board', email: 'dash@example.org', metadata: { a: 1 } })).json() as { customer: { id: string } };
    await control(`/customers/${created.customer.id}`, { name: 'Dash Renamed' });
    await control(`/customers/${created.customer.id}`, {}, 'DELETE');
    const got = await receiver.waitFor(3);
    const events = got.map((d) => stripe.webhooks.constructEvent(d.body, String(d.headers['stripe-signature']), SANDBOX_WEBHOOK_SECRET));
    assert.deepEqual(events.map((e) => e.type), ['customer.created', 'customer.updated', 'customer.deleted']);
    assert.deepEqual(events[1]?.data.previous_attributes, { name: 'Dash Board' });
    assert.equal(String(got[0]?.headers['content-type']), 'application/json; charset=utf-8');
    // Stripe's delivered event is the same object the events API returns.
    const listed = await fetch(`${fake.url}/v1/events/${events[0]?.id}`, { headers: { authorization: `Bearer ${fake.credentials.secretKey}` } });
    assert.deepEqual(await listed.json(), JSON.parse(got[0]?.body ?? '{}'));
    receiver.received.length = 0;
  });

  test('a triggered event is retried after a failure, and each attempt verifies', async () => {
    fake.ctx.webhooks.retryDelaysMs = [20];
    receiver.statuses.push(503);
    const res = await control('/events', { type: 'invoice.paid', object: { id: 'in_123', object: 'invoice' } });
    assert.equal(res.status, 201);
    const got = await receiver.waitFor(2);
    for (const d of got) {
      const e = stripe.webhooks.constructEvent(d.body, String(d.headers['stripe-signature']), SANDBOX_WEBHOOK_SECRET);
      assert.equal(e.type, 'invoice.paid');
    }
    await fake.ctx.webhooks.drain();
    assert.deepEqual(fake.ctx.webhooks.deliveries.filter((d) => d.eventType === 'invoice.paid').map((d) => d.status), [503, 200]);
  });

  test('a stale timestamp is outside constructEvent tolerance', () => {
    const body = '{"id":"evt_1","object":"event"}';
    const old = stripeSignature(SANDBOX_WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000) - 301);
    assert.throws(() => stripe.webhooks.constructEvent(body, old, SANDBOX_WEBHOOK_SECRET), /Timestamp outside the tolerance zone/);
  });
});
