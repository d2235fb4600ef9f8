import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { Signature } from '@hubspot/api-client';
import { Webhook } from 'standardwebhooks';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW, NOW_SEC, request, URL } from './test-kit.ts';

const scheme = getScheme('generic-hmac')!;
const SECRET = 'generic-shared-secret';
const BODY = '{"event":{"kind":"order.paid"},"id":"o-1"}';

// Configurations that reproduce vendor schemes, so vendor SDKs act as oracles for the engine.
const GITHUB_LIKE = { header: 'X-Hub-Signature-256', prefix: 'sha256=', typePath: 'event.kind' };
const STANDARD_LIKE = { header: 'webhook-signature', prefix: 'v1,', encoding: 'base64', timestampHeader: 'webhook-timestamp', idHeader: 'webhook-id', payloadTemplate: '{id}.{timestamp}.{body}' };
const HUBSPOT_V3_LIKE = { header: 'x-sig', encoding: 'base64', timestampHeader: 'x-ts', timestampUnit: 'ms', payloadTemplate: '{method}{url}{body}{timestamp}', typeHeader: 'x-type' };

async function githubLike(secret: string) {
  return request({ body: BODY, headers: { 'x-hub-signature-256': await sign(secret, BODY) } });
}

function standardLike(secret: string, at = NOW) {
  // format: 'raw' makes the key the secret's UTF-8 bytes, which is what generic-hmac uses.
  const signature = new Webhook(Buffer.from(secret), { format: 'raw' }).sign('msg_1', new Date(at), BODY);
  return request({ body: BODY, headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at / 1000)), 'webhook-signature': signature } });
}

describe('generic-hmac scheme', () => {
  it('reproduces GitHub signatures made by @octokit/webhooks-methods, with a dotted type path', async () => {
    const req = await githubLike(SECRET);
    await expectOk(scheme, req, context([SECRET], GITHUB_LIKE));
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY), GITHUB_LIKE), { type: 'order.paid' });
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY), { ...GITHUB_LIKE, typePath: '/event/kind' }), { type: 'order.paid' });
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY)), { type: 'webhook' });
  });

  it('reproduces Standard Webhooks signatures made by Webhook.sign, with an id header', async () => {
    const req = standardLike(SECRET);
    await expectOk(scheme, req, context([SECRET], STANDARD_LIKE));
    assert.deepEqual(scheme.describe(req, undefined, STANDARD_LIKE), { type: 'webhook', deliveryId: 'msg_1' });
  });

  it('reproduces HubSpot v3 signatures made by Signature.getSignature, with a type header', async () => {
    const signature = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: SECRET, requestBody: BODY, url: URL, timestamp: NOW });
    const req = request({ body: BODY, headers: { 'x-sig': signature, 'x-ts': String(NOW), 'x-type': 'contact.creation' } });
    await expectOk(scheme, req, context([SECRET], HUBSPOT_V3_LIKE));
    assert.deepEqual(scheme.describe(req, undefined, HUBSPOT_V3_LIKE), { type: 'contact.creation' });
  });

  it('supports sha1 and sha512', async () => {
    for (const algorithm of ['sha1', 'sha512'] as const) {
      const options = { header: 'x-sig', algorithm };
      const req = request({ body: BODY, headers: { 'x-sig': createHmac(algorithm, SECRET).update(BODY).digest('hex') } });
      await expectOk(scheme, req, context([SECRET], options));
      await expectFailure(scheme, req, context([SECRET], { ...options, algorithm: 'sha256' }), 'signature_invalid');
    }
  });

  it('rejects a tampered body, a wrong secret and missing headers', async () => {
    const req = await githubLike(SECRET);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from(BODY.replace('paid', 'void')) }, context([SECRET], GITHUB_LIKE), 'signature_invalid');
    const reason = await expectFailure(scheme, req, context(['wrong'], GITHUB_LIKE), 'signature_invalid');
    assertReasonClean(reason, SECRET, req.headers['x-hub-signature-256']!.slice(7));
    await expectFailure(scheme, request({ body: BODY }), context([SECRET], GITHUB_LIKE), 'signature_missing');
    const noTimestamp = standardLike(SECRET);
    delete (noTimestamp.headers as Record<string, string>)['webhook-timestamp'];
    await expectFailure(scheme, noTimestamp, context([SECRET], STANDARD_LIKE), 'signature_missing');
  });

  it('rejects a stale timestamp, honouring options.toleranceSec', async () => {
    const req = standardLike(SECRET, (NOW_SEC - 301) * 1000);
    await expectFailure(scheme, req, context([SECRET], STANDARD_LIKE), 'timestamp_out_of_window');
    await expectOk(scheme, req, context([SECRET], { ...STANDARD_LIKE, toleranceSec: 600 }));
  });

  it('accepts the second secret during rotation', async () => {
    await expectOk(scheme, await githubLike('second'), context(['first', 'second'], GITHUB_LIKE));
  });

  it('rejects any single-byte change to the body, the signature or the signed headers', async () => {
    await assertTamperRejected(scheme, await githubLike(SECRET), context([SECRET], GITHUB_LIKE), { body: true, headers: ['x-hub-signature-256'] });
    await assertTamperRejected(scheme, standardLike(SECRET), context([SECRET], STANDARD_LIKE), { body: true, headers: ['webhook-signature', 'webhook-timestamp', 'webhook-id'] });
  });

  it('validates options, naming the field', () => {
    assert.throws(() => scheme.parseOptions({}), { name: 'SchemeOptionsError', field: 'header' });
    assert.throws(() => scheme.parseOptions({ header: 'x sig' }), { name: 'SchemeOptionsError', field: 'header' });
    assert.throws(() => scheme.parseOptions({ header: 'x-sig', algorithm: 'md5' }), { name: 'SchemeOptionsError', field: 'algorithm' });
    assert.throws(() => scheme.parseOptions({ header: 'x-sig', payloadTemplate: '{timestamp}' }), { name: 'SchemeOptionsError', field: 'payloadTemplate' });
    assert.throws(() => scheme.parseOptions({ header: 'x-sig', payloadTemplate: '{timestamp}.{body}' }), { name: 'SchemeOptionsError', field: 'timestampHeader' });
    assert.deepEqual(scheme.parseOptions({ header: 'X-Sig' }), { header: 'x-sig', algorithm: 'sha256', encoding: 'hex', prefix: '', timestampUnit: 's', payloadTemplate: '{body}', toleranceSec: 300 });
  });
});
