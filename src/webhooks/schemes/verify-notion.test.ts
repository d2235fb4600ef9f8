import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signWebhookPayload, verifyWebhookSignature } from '@notionhq/client';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, request } from './test-kit.ts';

const scheme = getScheme('notion')!;
const TOKEN = 'secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl';
const BODY = JSON.stringify({ id: '367cba44-b6f3-4c92-81e7-6a2e9659efd4', timestamp: '2026-01-15T12:00:00.000Z', type: 'page.created', entity: { id: 'p1', type: 'page' }, attempt_number: 1 });

async function delivery(token: string, body = BODY) {
  return request({ body, headers: { 'X-Notion-Signature': await signWebhookPayload({ body, verificationToken: token }), 'Content-Type': 'application/json' } });
}

describe('notion scheme', () => {
  it('matches the vendor vector from Notion docs', async () => {
    const body = `{"verification_token":"${TOKEN}"}`;
    const req = request({ body, headers: { 'x-notion-signature': 'sha256=461e8cbcba8a75c3edd866f0e71280f5a85cbf21eff040ebd10fe266df38a735' } });
    await expectOk(scheme, req, context([TOKEN]));
  });

  it('accepts signWebhookPayload output that verifyWebhookSignature also accepts, and describes it', async () => {
    const req = await delivery(TOKEN);
    assert.equal(await verifyWebhookSignature({ body: BODY, signature: req.headers['x-notion-signature'], verificationToken: TOKEN }), true);
    await expectOk(scheme, req, context([TOKEN]));
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY)), { type: 'page.created', deliveryId: '367cba44-b6f3-4c92-81e7-6a2e9659efd4' });
  });

  it('rejects a tampered body, a wrong token, no token yet and a missing header', async () => {
    const req = await delivery(TOKEN);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from(BODY.replace('created', 'deleted')) }, context([TOKEN]), 'signature_invalid');
    const reason = await expectFailure(scheme, req, context(['secret_other']), 'signature_invalid');
    assertReasonClean(reason, TOKEN, req.headers['x-notion-signature']!.slice(7));
    await expectFailure(scheme, req, context([]), 'signature_invalid');
    await expectFailure(scheme, request({ body: BODY }), context([TOKEN]), 'signature_missing');
  });

  it('accepts the second token during rotation', async () => {
    await expectOk(scheme, await delivery('secret_new'), context(['secret_old', 'secret_new']));
  });

  it('answers the unsigned verification request with 200 and does not echo the token', () => {
    const req = request({ body: `{"verification_token":"${TOKEN}"}` });
    const reply = scheme.handshake!(req, context([]), false);
    assert.deepEqual(reply, { status: 200, contentType: 'application/json', body: '{}', record: true });
    assert.ok(!reply.body.includes(TOKEN));
    assert.equal(scheme.handshake!(request({ body: BODY }), context([]), false), undefined);
  });

  it('rejects any single-byte change to the body or the signature', async () => {
    await assertTamperRejected(scheme, await delivery(TOKEN), context([TOKEN]), { body: true, headers: ['x-notion-signature'] });
  });

  it('takes no options', () => {
    assert.throws(() => scheme.parseOptions({ token: TOKEN }), { name: 'SchemeOptionsError', field: 'token' });
  });
});
