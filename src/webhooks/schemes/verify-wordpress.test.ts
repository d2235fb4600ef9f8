import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW_SEC, request } from './test-kit.ts';

const scheme = getScheme('wordpress')!;
const SECRET = 'wp-plugin-secret';
const BODY = '{"action":"post.updated","id":42,"post":{"ID":42,"post_title":"Hello"}}';

// WordPress has no signing SDK; the sandbox fake's default is a base64 HMAC-SHA256 of the raw body.
function delivery(secret: string, extra: Record<string, string> = {}) {
  return request({ body: BODY, headers: { 'X-WP-Webhook-Signature': createHmac('sha256', secret).update(BODY).digest('base64'), ...extra } });
}

describe('wordpress scheme', () => {
  it('accepts the default layout and describes via options', async () => {
    const req = delivery(SECRET, { 'X-WP-Webhook-Id': 'wh-1' });
    await expectOk(scheme, req, context([SECRET]));
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY)), { type: 'wordpress.webhook' });
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY), { typePath: 'action', idHeader: 'x-wp-webhook-id' }), { type: 'post.updated', deliveryId: 'wh-1' });
  });

  it('follows header, algorithm, encoding and prefix overrides for other plugins', async () => {
    const options = { header: 'x-wc-webhook-signature', encoding: 'hex', algorithm: 'sha1', prefix: 'sha1=' };
    const req = request({ body: BODY, headers: { 'x-wc-webhook-signature': `sha1=${createHmac('sha1', SECRET).update(BODY).digest('hex')}` } });
    await expectOk(scheme, req, context([SECRET], options));
    await expectFailure(scheme, req, context([SECRET]), 'signature_missing');
  });

  it('rejects a tampered body, a wrong secret and a missing header', async () => {
    const req = delivery(SECRET);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from(BODY.replace('Hello', 'Hullo')) }, context([SECRET]), 'signature_invalid');
    const reason = await expectFailure(scheme, req, context(['nope']), 'signature_invalid');
    assertReasonClean(reason, SECRET, req.headers['x-wp-webhook-signature']!);
    await expectFailure(scheme, request({ body: BODY }), context([SECRET]), 'signature_missing');
  });

  it('rejects a stale timestamp when a timestamp header is configured', async () => {
    const options = { timestampHeader: 'x-wp-webhook-timestamp', payloadTemplate: '{timestamp}.{body}' };
    const at = String(NOW_SEC - 301);
    const req = request({ body: BODY, headers: { 'x-wp-webhook-signature': createHmac('sha256', SECRET).update(`${at}.${BODY}`).digest('base64'), 'x-wp-webhook-timestamp': at } });
    await expectFailure(scheme, req, context([SECRET], options), 'timestamp_out_of_window');
    await expectOk(scheme, req, context([SECRET], { ...options, toleranceSec: 400 }));
  });

  it('accepts the second secret during rotation', async () => {
    await expectOk(scheme, delivery('rotated'), context(['original', 'rotated']));
  });

  it('rejects any single-byte change to the body or the signature', async () => {
    await assertTamperRejected(scheme, delivery(SECRET), context([SECRET]), { body: true, headers: ['x-wp-webhook-signature'] });
  });

  it('has defaults and validates options', () => {
    assert.deepEqual(scheme.parseOptions({}), { header: 'x-wp-webhook-signature', algorithm: 'sha256', encoding: 'base64', prefix: '', timestampUnit: 's', payloadTemplate: '{body}', toleranceSec: 300 });
    assert.throws(() => scheme.parseOptions({ encoding: 'base32' }), { name: 'SchemeOptionsError', field: 'encoding' });
  });
});
