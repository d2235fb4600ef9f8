import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import fc from 'fast-check';
import { startShopify } from './index.ts';
import { shopifyHmac } from './signing.ts';
import { startReceiver } from '../core/test-receiver.ts';

/**
 * The signer is pinned by the PROVIDERS.md vector; deliveries are checked the
 * way Shopify's docs tell a receiver to (base64 HMAC of the raw body, constant-time compare).
 */
const fake = await startShopify();
const receiver = await startReceiver();
after(async () => {
  await fake.close();
  await receiver.close();
});

function receiverVerifies(secret: string, rawBody: string, header: string): boolean {
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const trigger = (body: unknown) => fetch(`${fake.url}/_sandbox/shopify/webhooks`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

describe('Shopify sender', () => {
  test('the HMAC matches the PROVIDERS.md vector', () => {
    assert.equal(shopifyHmac('shpss_test_secret', '{"id":1,"email":"a@example.com"}'), 'XWB0+SxlvAEC3yNDPg512nnLhRAHtq9+JjdiDTdy0N0=');
  });

  test('any body verifies under its secret and fails under another', () => {
    fc.assert(fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (body, secret, other) => {
      const h = shopifyHmac(secret, body);
      return receiverVerifies(secret, body, h) && (secret === other || !receiverVerifies(other, body, h));
    }));
  });

  test('a delivery carries every X-Shopify header and a valid HMAC', async () => {
    const secret = 'shpss_subscription_secret';
    await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url, events: ['orders/create'], secret }),
    });
    const res = await trigger({ topic: 'orders/create', name: 'sandbox-hook' });
    assert.equal(res.status, 202);
    const [d] = await receiver.waitFor(1);
    assert.ok(d);
    assert.equal(receiverVerifies(secret, d.body, String(d.headers['x-shopify-hmac-sha256'])), true);
    assert.equal(receiverVerifies('wrong', d.body, String(d.headers['x-shopify-hmac-sha256'])), false);
    assert.equal(d.headers['x-shopify-topic'], 'orders/create');
    assert.equal(d.headers['x-shopify-shop-domain'], 'sandbox-shop.myshopify.com');
    assert.equal(d.headers['x-shopify-api-version'], '2026-01');
    assert.equal(d.headers['x-shopify-name'], 'sandbox-hook');
    assert.match(String(d.headers['x-shopify-webhook-id']), /^[0-9a-f-]{36}$/);
    assert.match(String(d.headers['x-shopify-event-id']), /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(String(d.headers['x-shopify-triggered-at']))));
    const order = JSON.parse(d.body) as { id: number; line_items: unknown[] };
    assert.ok(order.id > 0 && order.line_items.length === 1);
    receiver.received.length = 0;
  });

  test('only subscribed topics are delivered; a given payload is sent verbatim', async () => {
    await trigger({ topic: 'products/update' });
    await trigger({ topic: 'orders/create', payload: { id: 42, note: 'exact' } });
    const [d] = await receiver.waitFor(1);
    assert.equal(d?.body, '{"id":42,"note":"exact"}');
    assert.equal(receiver.received.length, 1);
    receiver.received.length = 0;
  });

  test('retries keep the webhook and event ids and re-sign the same body', async () => {
    fake.ctx.webhooks.retryDelaysMs = [20];
    receiver.statuses.push(500);
    await trigger({ topic: 'orders/create', payload: { id: 7 } });
    const got = await receiver.waitFor(2);
    assert.equal(got[0]?.headers['x-shopify-webhook-id'], got[1]?.headers['x-shopify-webhook-id']);
    assert.equal(got[0]?.headers['x-shopify-event-id'], got[1]?.headers['x-shopify-event-id']);
    for (const d of got) assert.equal(receiverVerifies('shpss_subscription_secret', d.body, String(d.headers['x-shopify-hmac-sha256'])), true);
  });

  test('a malformed topic is rejected', async () => {
    assert.equal((await trigger({ topic: 'not a topic' })).status, 400);
  });
});
