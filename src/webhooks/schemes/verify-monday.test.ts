import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW_SEC, request, URL } from './test-kit.ts';

const scheme = getScheme('monday')!;
const SECRET = 'monday-signing-secret';
const BODY = JSON.stringify({ event: { app: 'monday', type: 'update_column_value', triggerUuid: '6f0e8ea3a5e1c3b7', boardId: 1, pulseId: 2 } });

async function token(secret: string, claims: { aud?: string; iat?: number; exp?: number; alg?: string } = {}) {
  return new SignJWT({ accountId: 1, userId: 2, shortLivedToken: 'slt' })
    .setProtectedHeader({ alg: claims.alg ?? 'HS256', typ: 'JWT' })
    .setAudience(claims.aud ?? URL)
    .setIssuedAt(claims.iat ?? NOW_SEC)
    .setExpirationTime(claims.exp ?? NOW_SEC + 300)
    .sign(new TextEncoder().encode(secret));
}

async function delivery(secret: string, claims: Parameters<typeof token>[1] = {}, authPrefix = '') {
  return request({ body: BODY, headers: { Authorization: `${authPrefix}${await token(secret, claims)}`, 'Content-Type': 'application/json' } });
}

describe('monday scheme', () => {
  it('accepts a jose-signed HS256 JWT, bare or with Bearer, and describes the event', async () => {
    const req = await delivery(SECRET);
    await expectOk(scheme, req, context([SECRET]));
    await expectOk(scheme, await delivery(SECRET, {}, 'Bearer '), context([SECRET]));
    assert.deepEqual(scheme.describe(req, JSON.parse(BODY)), { type: 'update_column_value', deliveryId: '6f0e8ea3a5e1c3b7' });
  });

  it('falls back to a body hash when the event has no triggerUuid', () => {
    const req = request({ body: '{"event":{"type":"create_pulse"}}' });
    assert.match(scheme.describe(req, { event: { type: 'create_pulse' } }).deliveryId ?? '', /^monday:[0-9a-f]{64}$/);
  });

  it('rejects a wrong secret, a missing header and a foreign audience', async () => {
    const req = await delivery(SECRET);
    const reason = await expectFailure(scheme, req, context(['not-it']), 'signature_invalid');
    assertReasonClean(reason, SECRET, req.headers['authorization']!.split('.')[2]!);
    await expectFailure(scheme, request({ body: BODY }), context([SECRET]), 'signature_missing');
    const foreign = await delivery(SECRET, { aud: 'https://elsewhere.example.com/hook' });
    await expectFailure(scheme, foreign, context([SECRET]), 'signature_invalid');
    await expectOk(scheme, foreign, context([SECRET], { checkAudience: false }));
    await expectOk(scheme, foreign, context([SECRET], { audience: 'https://elsewhere.example.com/hook' }));
  });

  it('treats an expired token or an old iat as stale, honouring options.toleranceSec', async () => {
    await expectFailure(scheme, await delivery(SECRET, { iat: NOW_SEC - 400, exp: NOW_SEC - 100 }), context([SECRET]), 'timestamp_out_of_window');
    const old = await delivery(SECRET, { iat: NOW_SEC - 400, exp: NOW_SEC + 100 });
    await expectFailure(scheme, old, context([SECRET]), 'timestamp_out_of_window');
    await expectOk(scheme, old, context([SECRET], { toleranceSec: 600 }));
  });

  it('uses the algorithm option (UNCONFIRMED upstream) and refuses others', async () => {
    const hs512 = await delivery(SECRET, { alg: 'HS512' });
    await expectFailure(scheme, hs512, context([SECRET]), 'signature_invalid');
    await expectOk(scheme, hs512, context([SECRET], { algorithm: 'HS512' }));
  });

  it('accepts the second secret during rotation', async () => {
    await expectOk(scheme, await delivery('new-secret'), context(['old-secret', 'new-secret']));
  });

  it('echoes the unsigned challenge before verification, and nothing else', () => {
    const challenge = request({ body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}' });
    assert.deepEqual(scheme.handshake!(challenge, context([]), false), { status: 200, contentType: 'application/json', body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}' });
    assert.equal(scheme.handshake!(request({ body: BODY }), context([]), false), undefined);
    assert.equal(scheme.handshake!(request({ body: '{"challenge":"x","event":{}}' }), context([]), false), undefined);
  });

  it('rejects any single-byte change to the JWT (the body is not covered by monday\'s JWT)', async () => {
    await assertTamperRejected(scheme, await delivery(SECRET), context([SECRET]), { body: false, headers: ['authorization'] });
  });

  it('validates options', () => {
    assert.deepEqual(scheme.parseOptions({}), { algorithm: 'HS256', checkAudience: true, toleranceSec: 300 });
    assert.throws(() => scheme.parseOptions({ algorithm: 'none' }), { name: 'SchemeOptionsError', field: 'algorithm' });
  });
});
