import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW, request } from './test-kit.ts';

const scheme = getScheme('google')!;
const TOKEN = 'chan-token-6d1f0c';

// Google has no signer to act as an oracle: a push carries the channel token set at watch time, verbatim.
function push(token: string, state = 'update', extra: Record<string, string> = {}) {
  return request({
    body: '',
    headers: {
      'X-Goog-Channel-ID': 'channel-1', 'X-Goog-Channel-Token': token, 'X-Goog-Resource-ID': 'res-9',
      'X-Goog-Resource-State': state, 'X-Goog-Message-Number': '7', 'X-Goog-Channel-Expiration': new Date(NOW + 3_600_000).toUTCString(),
      ...extra,
    },
  });
}

describe('google scheme', () => {
  it('accepts the channel token and describes the push', async () => {
    const req = push(TOKEN);
    await expectOk(scheme, req, context([TOKEN]));
    assert.deepEqual(scheme.describe(req, undefined), { type: 'drive.update', deliveryId: 'channel-1:7' });
  });

  it('rejects a wrong token, a missing token and a source without a token', async () => {
    const reason = await expectFailure(scheme, push('guess'), context([TOKEN]), 'signature_invalid');
    assertReasonClean(reason, TOKEN, 'guess');
    await expectFailure(scheme, request({ body: '' }), context([TOKEN]), 'signature_missing');
    await expectFailure(scheme, push(TOKEN), context([]), 'signature_invalid');
  });

  it('checks the channel and resource ids when configured', async () => {
    await expectOk(scheme, push(TOKEN), context([TOKEN], { channelId: 'channel-1', resourceId: 'res-9' }));
    await expectFailure(scheme, push(TOKEN), context([TOKEN], { channelId: 'channel-2' }), 'signature_invalid');
    await expectFailure(scheme, push(TOKEN), context([TOKEN], { resourceId: 'res-8' }), 'signature_invalid');
  });

  it('treats a message from an expired channel as stale, honouring options.toleranceSec', async () => {
    const expired = push(TOKEN, 'update', { 'X-Goog-Channel-Expiration': new Date(NOW - 600_000).toUTCString() });
    await expectFailure(scheme, expired, context([TOKEN]), 'timestamp_out_of_window');
    await expectOk(scheme, expired, context([TOKEN], { toleranceSec: 900 }));
  });

  it('accepts the second token during rotation', async () => {
    await expectOk(scheme, push('new-token'), context(['old-token', 'new-token']));
  });

  it('answers the sync message with 200 only after the token check', async () => {
    const sync = push(TOKEN, 'sync');
    assert.equal(scheme.handshake!(sync, context([TOKEN]), false), undefined);
    await expectOk(scheme, sync, context([TOKEN]));
    assert.deepEqual(scheme.handshake!(sync, context([TOKEN]), true), { status: 200, contentType: 'text/plain', body: '' });
    assert.equal(scheme.handshake!(push(TOKEN), context([TOKEN]), true), undefined);
    assert.equal(scheme.jsonBody, false);
  });

  it('rejects any single-byte change to the channel token (the body is not authenticated by Google)', async () => {
    await assertTamperRejected(scheme, push(TOKEN), context([TOKEN]), { body: false, headers: ['x-goog-channel-token'] });
  });

  it('validates options', () => {
    assert.throws(() => scheme.parseOptions({ channelId: '' }), { name: 'SchemeOptionsError', field: 'channelId' });
  });
});
