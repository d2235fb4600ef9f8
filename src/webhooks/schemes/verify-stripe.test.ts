import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW_SEC, request } from './test-kit.ts';

const scheme = getScheme('stripe')!;
const stripe = new Stripe('sk_test_oracle');
const SECRET = 'whsec_test_secret';
const BODY = '{"id":"evt_test_1","object":"event","type":"customer.created"}';

function delivery(secret: string, body = BODY, timestamp = NOW_SEC) {
  const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  return request({ body, headers: { 'Stripe-Signature': signature, 'Content-Type': 'application/json' } });
}

describe('stripe scheme', () => {
  it('matches the PROVIDERS.md vector', async () => {
    const req = request({ body: BODY, headers: { 'stripe-signature': 't=1700000000,v1=04d2bf28246c9193b661e604bfb64270a80020553d96d093a041ba547392c2cf' } });
    await expectOk(scheme, req, context([SECRET], {}, 1_700_000_000_000));
  });

  it('accepts a header from stripe.webhooks.generateTestHeaderString and describes the event', async () => {
    const req = delivery(SECRET);
    await expectOk(scheme, req, context([SECRET]));
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY)), { type: 'customer.created', deliveryId: 'evt_test_1' });
  });

  it('accepts any of several v1 entries (Stripe rolling its secret)', async () => {
    const own = delivery(SECRET).headers['stripe-signature']!;
    const other = delivery('whsec_other').headers['stripe-signature']!.split(',')[1]!;
    const req = request({ body: BODY, headers: { 'stripe-signature': `${own.split(',')[0]},${other},${own.split(',')[1]},v0=abc` } });
    await expectOk(scheme, req, context([SECRET]));
  });

  it('rejects a tampered body, a wrong secret and a missing or malformed header', async () => {
    const req = delivery(SECRET);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from(BODY.replace('created', 'deleted')) }, context([SECRET]), 'signature_invalid');
    const reason = await expectFailure(scheme, req, context(['whsec_wrong']), 'signature_invalid');
    assertReasonClean(reason, SECRET, req.headers['stripe-signature']!.split('v1=')[1]!);
    await expectFailure(scheme, request({ body: BODY }), context([SECRET]), 'signature_missing');
    await expectFailure(scheme, request({ body: BODY, headers: { 'stripe-signature': 'v1=abc' } }), context([SECRET]), 'signature_invalid');
  });

  it('rejects a stale timestamp, honouring options.toleranceSec', async () => {
    const req = delivery(SECRET, BODY, NOW_SEC - 301);
    await expectFailure(scheme, req, context([SECRET]), 'timestamp_out_of_window');
    await expectOk(scheme, req, context([SECRET], { toleranceSec: 600 }));
    await expectFailure(scheme, delivery(SECRET, BODY, NOW_SEC + 400), context([SECRET]), 'timestamp_out_of_window');
  });

  it('agrees with stripe.webhooks.constructEvent on what it accepts', async () => {
    const req = delivery(SECRET, BODY, Math.floor(Date.now() / 1000));
    const event = stripe.webhooks.constructEvent(req.rawBody, req.headers['stripe-signature']!, SECRET);
    assert.equal(event.id, 'evt_test_1');
    await expectOk(scheme, req, context([SECRET], {}, Date.now()));
  });

  it('accepts the second secret during rotation', async () => {
    await expectOk(scheme, delivery('whsec_new'), context(['whsec_old', 'whsec_new']));
  });

  it('rejects any single-byte change to the body or the signature header', async () => {
    await assertTamperRejected(scheme, delivery(SECRET), context([SECRET]), { body: true, headers: ['stripe-signature'] });
  });

  it('validates toleranceSec', () => {
    assert.deepEqual(scheme.parseOptions({}), { toleranceSec: 300 });
    assert.throws(() => scheme.parseOptions({ toleranceSec: -1 }), { name: 'SchemeOptionsError', field: 'toleranceSec' });
  });
});
