import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW, request } from './test-kit.ts';

const scheme = getScheme('standard-webhooks')!;
const SECRET = `whsec_${Buffer.from('standard-webhooks-key-0123456789').toString('base64')}`;
const BODY = '{"type":"invoice.paid","data":{"id":"inv_1"}}';

function delivery(secret: string, at = NOW, id = 'msg_2Lh9KRb0pzN4LePd3XiA4dy6rr') {
  const signature = new Webhook(secret).sign(id, new Date(at), BODY);
  return request({ body: BODY, headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at / 1000)), 'webhook-signature': signature } });
}

describe('standard-webhooks scheme', () => {
  it('accepts Webhook.sign output and describes it', async () => {
    const req = delivery(SECRET);
    await expectOk(scheme, req, context([SECRET]));
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY)), { type: 'invoice.paid', deliveryId: 'msg_2Lh9KRb0pzN4LePd3XiA4dy6rr' });
  });

  it('accepts a list of signatures where one matches, and svix- header names', async () => {
    const req = delivery(SECRET);
    const other = delivery(`whsec_${Buffer.from('other-key').toString('base64')}`).headers['webhook-signature'];
    await expectOk(scheme, { ...req, headers: { ...req.headers, 'webhook-signature': `v1a,AAAA ${other} ${req.headers['webhook-signature']}` } }, context([SECRET]));
    const svix = request({ body: BODY, headers: { 'svix-id': req.headers['webhook-id']!, 'svix-timestamp': req.headers['webhook-timestamp']!, 'svix-signature': req.headers['webhook-signature']! } });
    await expectOk(scheme, svix, context([SECRET]));
  });

  it('rejects a tampered body, a wrong secret and missing headers', async () => {
    const req = delivery(SECRET);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from(BODY.replace('inv_1', 'inv_2')) }, context([SECRET]), 'signature_invalid');
    const wrong = `whsec_${Buffer.from('wrong').toString('base64')}`;
    const reason = await expectFailure(scheme, req, context([wrong]), 'signature_invalid');
    assertReasonClean(reason, SECRET, req.headers['webhook-signature']!.slice(3));
    await expectFailure(scheme, request({ body: BODY }), context([SECRET]), 'signature_missing');
  });

  it('rejects a stale timestamp, honouring options.toleranceSec', async () => {
    const req = delivery(SECRET, NOW - 301_000);
    await expectFailure(scheme, req, context([SECRET]), 'timestamp_out_of_window');
    await expectOk(scheme, req, context([SECRET], { toleranceSec: 600 }));
  });

  it('agrees with Webhook.verify', async () => {
    const now = Date.now();
    const req = delivery(SECRET, now);
    await expectOk(scheme, req, context([SECRET], {}, now));
    const headers = { 'webhook-id': req.headers['webhook-id']!, 'webhook-timestamp': req.headers['webhook-timestamp']!, 'webhook-signature': req.headers['webhook-signature']! };
    assert.deepEqual(new Webhook(SECRET).verify(BODY, headers), JSON.parse(BODY));
  });

  it('accepts the second secret during rotation', async () => {
    const next = `whsec_${Buffer.from('next-key-material').toString('base64')}`;
    await expectOk(scheme, delivery(next), context([SECRET, next]));
  });

  it('rejects any single-byte change to the body, the signature, the id or the timestamp', async () => {
    await assertTamperRejected(scheme, delivery(SECRET), context([SECRET]), { body: true, headers: ['webhook-signature', 'webhook-id', 'webhook-timestamp'] });
  });

  it('validates options', () => {
    assert.throws(() => scheme.parseOptions({ toleranceSec: 0 }), { name: 'SchemeOptionsError', field: 'toleranceSec' });
  });
});
