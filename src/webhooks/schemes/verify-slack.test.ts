import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { isValidSlackRequest } from '@slack/bolt';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW, NOW_SEC, request } from './test-kit.ts';

const scheme = getScheme('slack')!;
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const VENDOR_BODY = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const EVENT = JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'Ev123', event: { type: 'app_mention', text: 'hi' } });
const FORM = 'application/x-www-form-urlencoded';

/**
 * Slack's SDKs only verify, so the test signs with the documented formula
 * and has @slack/bolt's isValidSlackRequest confirm each signature first.
 */
function delivery(secret: string, body: string, contentType = 'application/json', timestamp = NOW_SEC) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const oracle = isValidSlackRequest({ signingSecret: secret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp }, nowMilliseconds: timestamp * 1000 });
  assert.ok(oracle, '@slack/bolt accepts the test signature');
  return request({ body, headers: { 'X-Slack-Signature': signature, 'X-Slack-Request-Timestamp': String(timestamp), 'Content-Type': contentType } });
}

describe('slack scheme', () => {
  it('matches the vendor vector from Slack docs', async () => {
    const req = request({ body: VENDOR_BODY, headers: { 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'x-slack-request-timestamp': '1531420618', 'content-type': FORM } });
    await expectOk(scheme, req, context([SECRET], {}, 1_531_420_618_000));
    assert.deepEqual(scheme.describe(req, undefined), { type: 'slash_command', deliveryId: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c' });
  });

  it('accepts and describes an Events API callback', async () => {
    const req = delivery(SECRET, EVENT);
    await expectOk(scheme, req, context([SECRET]));
    assert.deepEqual(scheme.describe(req, JSON.parse(EVENT)), { type: 'app_mention', deliveryId: 'Ev123' });
  });

  it('accepts and describes an interactivity payload= form', async () => {
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', trigger_id: '13345224609.738474920.8088930838d88f008e0', actions: [] }))}`;
    const req = delivery(SECRET, body, FORM);
    await expectOk(scheme, req, context([SECRET]));
    assert.deepEqual(scheme.describe(req, undefined), { type: 'block_actions', deliveryId: '13345224609.738474920.8088930838d88f008e0' });
  });

  it('rejects a tampered body, a wrong secret and missing headers', async () => {
    const req = delivery(SECRET, EVENT);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from(EVENT.replace('hi', 'ho')) }, context([SECRET]), 'signature_invalid');
    const reason = await expectFailure(scheme, req, context(['another-secret']), 'signature_invalid');
    assertReasonClean(reason, SECRET, req.headers['x-slack-signature']!.slice(3));
    await expectFailure(scheme, request({ body: EVENT }), context([SECRET]), 'signature_missing');
    await expectFailure(scheme, request({ body: EVENT, headers: { 'x-slack-signature': 'v0=00' } }), context([SECRET]), 'signature_missing');
  });

  it('rejects a stale timestamp, honouring options.toleranceSec', async () => {
    const req = delivery(SECRET, EVENT, 'application/json', NOW_SEC - 301);
    await expectFailure(scheme, req, context([SECRET]), 'timestamp_out_of_window');
    await expectOk(scheme, req, context([SECRET], { toleranceSec: 400 }));
  });

  it('accepts the second secret during rotation', async () => {
    await expectOk(scheme, delivery('new-signing-secret', EVENT), context(['old-signing-secret', 'new-signing-secret']));
  });

  it('answers url_verification only once verified', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    const req = delivery(SECRET, body);
    assert.equal(scheme.handshake!(req, context([SECRET]), false), undefined);
    await expectOk(scheme, req, context([SECRET], {}, NOW));
    assert.deepEqual(scheme.handshake!(req, context([SECRET]), true), { status: 200, contentType: 'application/json', body: JSON.stringify({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' }) });
    assert.equal(scheme.handshake!(delivery(SECRET, EVENT), context([SECRET]), true), undefined);
  });

  it('rejects any single-byte change to the body, the signature or the timestamp', async () => {
    await assertTamperRejected(scheme, delivery(SECRET, EVENT), context([SECRET]), { body: true, headers: ['x-slack-signature', 'x-slack-request-timestamp'] });
  });

  it('validates options', () => {
    assert.throws(() => scheme.parseOptions({ toleranceSec: 'soon' }), { name: 'SchemeOptionsError', field: 'toleranceSec' });
  });
});
