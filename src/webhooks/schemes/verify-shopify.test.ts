import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, request } from './test-kit.ts';

const scheme = getScheme('shopify')!;
const SECRET = 'shpss_test_secret';
const BODY = '{"id":1,"email":"a@example.com"}';
// PROVIDERS.md vector (computed there with Python hmac): no Shopify SDK is installed to sign.
const VECTOR = 'XWB0+SxlvAEC3yNDPg512nnLhRAHtq9+JjdiDTdy0N0=';

function delivery(secret: string, body = BODY, prefixed = true) {
  const signature = createHmac('sha256', secret).update(body).digest('base64');
  const headers: Record<string, string> = prefixed
    ? { 'X-Shopify-Hmac-Sha256': signature, 'X-Shopify-Topic': 'orders/create', 'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' }
    : { 'shopify-hmac-sha256': signature, 'shopify-topic': 'orders/create', 'shopify-event-id': 'ev-9' };
  return request({ body, headers });
}

describe('shopify scheme', () => {
  it('matches the PROVIDERS.md vector', async () => {
    assert.equal(delivery(SECRET).headers['x-shopify-hmac-sha256'], VECTOR);
    await expectOk(scheme, request({ body: BODY, headers: { 'x-shopify-hmac-sha256': VECTOR } }), context([SECRET]));
  });

  it('describes by topic and webhook id, in both header spellings', async () => {
    assert.deepEqual(scheme.describe(delivery(SECRET), undefined), { type: 'orders/create', deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' });
    const unprefixed = delivery(SECRET, BODY, false);
    await expectOk(scheme, unprefixed, context([SECRET]));
    assert.deepEqual(scheme.describe(unprefixed, undefined), { type: 'orders/create', deliveryId: 'ev-9' });
  });

  it('rejects a tampered body, a wrong secret and a missing header', async () => {
    const req = delivery(SECRET);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from(BODY.replace('1', '2')) }, context([SECRET]), 'signature_invalid');
    const reason = await expectFailure(scheme, req, context(['shpss_wrong']), 'signature_invalid');
    assertReasonClean(reason, SECRET, VECTOR);
    await expectFailure(scheme, request({ body: BODY }), context([SECRET]), 'signature_missing');
  });

  it('accepts the second secret during rotation (Shopify signs with the old one for up to an hour)', async () => {
    await expectOk(scheme, delivery('shpss_old'), context(['shpss_new', 'shpss_old']));
  });

  it('rejects any single-byte change to the body or the signature', async () => {
    await assertTamperRejected(scheme, delivery(SECRET), context([SECRET]), { body: true, headers: ['x-shopify-hmac-sha256'] });
  });

  it('takes no options', () => {
    assert.throws(() => scheme.parseOptions({ toleranceSec: 5 }), { name: 'SchemeOptionsError', field: 'toleranceSec' });
  });
});
