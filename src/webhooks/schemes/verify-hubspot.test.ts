import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Signature } from '@hubspot/api-client';
import { getScheme } from './index.ts';
import type { WebhookRequest } from './types.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, NOW, request, URL } from './test-kit.ts';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const BODY = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

/** A delivery signed by the official SDK's Signature.getSignature. */
function delivery(version: 'v1' | 'v2' | 'v3', secret = SECRET, options: { body?: string; url?: string; timestamp?: number } = {}): WebhookRequest {
  const body = options.body ?? BODY;
  const url = options.url ?? URL;
  const timestamp = options.timestamp ?? NOW;
  const signature = Signature.getSignature('POST', version, { signature: '', clientSecret: secret, requestBody: body, url, timestamp });
  const headers: Record<string, string> = version === 'v3'
    ? { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestamp) }
    : { 'X-HubSpot-Signature': signature, 'X-HubSpot-Signature-Version': version };
  return request({ body, url, headers: { ...headers, 'Content-Type': 'application/json' } });
}

describe('hubspot schemes', () => {
  it('match the vendor vectors for v1 and v2 and the computed v3 vector', async () => {
    const v1 = request({ body: BODY, headers: { 'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de' } });
    await expectOk(getScheme('hubspot-v1')!, v1, context([SECRET]));
    await expectOk(getScheme('hubspot')!, v1, context([SECRET]));
    const v2 = request({ method: 'GET', body: '', url: 'https://www.example.com/webhook_uri', headers: { 'x-hubspot-signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e', 'x-hubspot-signature-version': 'v2' } });
    await expectOk(getScheme('hubspot-v2')!, v2, context([SECRET]));
    const v3 = request({ body: '{"example_field":"example_value"}', url: 'https://www.example.com/webhook_uri', headers: { 'x-hubspot-signature-v3': 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=', 'x-hubspot-request-timestamp': '1700000000000' } });
    await expectOk(getScheme('hubspot-v3')!, v3, context([SECRET], {}, 1_700_000_000_000));
  });

  for (const version of ['v1', 'v2', 'v3'] as const) {
    const pinned = getScheme(`hubspot-${version}`)!;
    const auto = getScheme('hubspot')!;

    it(`${version}: accepts Signature.getSignature output, pinned and auto`, async () => {
      await expectOk(pinned, delivery(version), context([SECRET]));
      await expectOk(auto, delivery(version), context([SECRET]));
    });

    it(`${version}: rejects a tampered body and a wrong secret without leaking them`, async () => {
      const req = delivery(version);
      await expectFailure(pinned, { ...req, rawBody: Buffer.from(BODY.replace('62515', '62516')) }, context([SECRET]), 'signature_invalid');
      const reason = await expectFailure(pinned, req, context(['wrong-secret']), 'signature_invalid');
      assertReasonClean(reason, SECRET, Signature.getSignature('POST', version, { signature: '', clientSecret: SECRET, requestBody: BODY, url: URL, timestamp: NOW }));
    });

    it(`${version}: accepts the second secret during rotation`, async () => {
      await expectOk(pinned, delivery(version, 'new-secret'), context(['old-secret', 'new-secret']));
    });

    it(`${version}: rejects any single-byte change to the body or the signature`, async () => {
      const headers = version === 'v3' ? ['x-hubspot-signature-v3', 'x-hubspot-request-timestamp'] : ['x-hubspot-signature'];
      await assertTamperRejected(pinned, delivery(version), context([SECRET]), { body: true, headers });
    });
  }

  it('v3: rejects a stale timestamp, honouring options.toleranceSec', async () => {
    const scheme = getScheme('hubspot-v3')!;
    const req = delivery('v3', SECRET, { timestamp: NOW - 300_001 });
    await expectFailure(scheme, req, context([SECRET]), 'timestamp_out_of_window');
    await expectOk(scheme, req, context([SECRET], { toleranceSec: 600 }));
  });

  it('v2 and v3 sign the URL, so a different URL is rejected', async () => {
    const req = { ...delivery('v3'), url: `${URL}?x=1` };
    await expectFailure(getScheme('hubspot-v3')!, req, context([SECRET]), 'signature_invalid');
    await expectFailure(getScheme('hubspot-v2')!, { ...delivery('v2'), url: `${URL}?x=1` }, context([SECRET]), 'signature_invalid');
  });

  it('v3: tries the URL-decoded form unless v3Uri is raw (rule UNCONFIRMED)', async () => {
    const encoded = 'https://hub.example.com/hook?to=a%40b.example%2Fc';
    const decodedSigned = delivery('v3', SECRET, { url: 'https://hub.example.com/hook?to=a@b.example/c' });
    const req = { ...decodedSigned, url: encoded };
    await expectOk(getScheme('hubspot-v3')!, req, context([SECRET]));
    await expectFailure(getScheme('hubspot-v3')!, req, context([SECRET], { v3Uri: 'raw' }), 'signature_invalid');
  });

  it('pinned schemes refuse other versions; hubspot honours its versions option', async () => {
    await expectFailure(getScheme('hubspot-v3')!, delivery('v1'), context([SECRET]), 'signature_invalid');
    await expectFailure(getScheme('hubspot-v1')!, delivery('v2'), context([SECRET]), 'signature_invalid');
    await expectFailure(getScheme('hubspot')!, delivery('v1'), context([SECRET], { versions: ['v3'] }), 'signature_invalid');
    await expectFailure(getScheme('hubspot')!, request({ body: BODY }), context([SECRET]), 'signature_missing');
  });

  it('describes a batch by its first subscriptionType and a hash of its (portal, event) ids', () => {
    const scheme = getScheme('hubspot')!;
    const one = scheme.describe(delivery('v3'), JSON.parse(BODY));
    assert.equal(one.type, 'contact.creation');
    assert.match(one.deliveryId ?? '', /^hubspot:[0-9a-f]{64}$/);
    const events = JSON.parse(BODY) as Record<string, unknown>[];
    const two = [{ ...events[0], eventId: 2 }, events[0]];
    const reordered = [events[0], { ...events[0], eventId: 2 }];
    assert.equal(scheme.describe(delivery('v3'), two).deliveryId, scheme.describe(delivery('v3'), reordered).deliveryId);
    assert.notEqual(scheme.describe(delivery('v3'), two).deliveryId, one.deliveryId);
  });

  it('validates options, naming the field', () => {
    assert.deepEqual(getScheme('hubspot')!.parseOptions({}), { versions: ['v1', 'v2', 'v3'], v3Uri: 'both', toleranceSec: 300 });
    assert.throws(() => getScheme('hubspot')!.parseOptions({ versions: ['v4'] }), { name: 'SchemeOptionsError', field: 'versions.0' });
    assert.throws(() => getScheme('hubspot-v3')!.parseOptions({ versions: ['v1'] }), { name: 'SchemeOptionsError', field: 'versions' });
  });
});
