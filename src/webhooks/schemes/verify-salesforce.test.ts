import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getScheme } from './index.ts';
import fc from 'fast-check';
import { assertTamperRejected, context, expectFailure, expectOk, flip, request, URL, withBody } from './test-kit.ts';

const scheme = getScheme('salesforce')!;
const ORG = '00D5g000004ZbQxEAK';

// The SOAP shape from Salesforce's outbound-message WSDL; there is no signature to produce.
function envelope(org: string, notifications: Array<{ id: string; leadId: string }>): string {
  const items = notifications.map((n) => `
   <Notification>
    <Id>${n.id}</Id>
    <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${n.leadId}</sf:Id>
     <sf:LastName>Doe</sf:LastName>
    </sObject>
   </Notification>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>04k5g000000XyzAAA</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/62.0/00D5g000004ZbQx</EnterpriseUrl>${items}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

const ONE = envelope(ORG, [{ id: '04l5g000000AbcdAAA', leadId: '00Q5g000001AaaaEAC' }]);

function message(body = ONE, headers: Record<string, string> = {}, url = URL) {
  return request({ body, url, headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', ...headers } });
}

describe('salesforce scheme', () => {
  it('accepts the configured org (18- or 15-character form) and describes the message', async () => {
    await expectOk(scheme, message(), context([], { organizationId: ORG }));
    await expectOk(scheme, message(), context([], { organizationId: ORG.slice(0, 15) }));
    assert.deepEqual(scheme.describe(message(), undefined), { type: 'salesforce.outbound.Lead', deliveryId: '04l5g000000AbcdAAA' });
  });

  it('gives a batch of notifications one order-independent id', () => {
    const a = { id: '04l5g000000Abc1AAA', leadId: '00Q5g000001Aaa1EAC' };
    const b = { id: '04l5g000000Abc2AAA', leadId: '00Q5g000001Aaa2EAC' };
    const ab = scheme.describe(message(envelope(ORG, [a, b])), undefined).deliveryId;
    assert.match(ab ?? '', /^salesforce:[0-9a-f]{64}$/);
    assert.equal(scheme.describe(message(envelope(ORG, [b, a])), undefined).deliveryId, ab);
  });

  it('rejects another org and a body without an OrganizationId', async () => {
    await expectFailure(scheme, message(envelope('00D5g000004ZbQyEAK', [])), context([], { organizationId: ORG }), 'signature_invalid');
    await expectFailure(scheme, message('<soapenv:Envelope/>'), context([], { organizationId: ORG }), 'signature_missing');
  });

  it('checks a shared secret in a query parameter or a header, with rotation', async () => {
    const options = { organizationId: ORG, secretQueryParam: 'token' };
    await expectOk(scheme, message(ONE, {}, `${URL}?token=s3cret-2`), context(['s3cret-1', 's3cret-2'], options));
    await expectFailure(scheme, message(ONE, {}, `${URL}?token=wrong`), context(['s3cret-1'], options), 'signature_invalid');
    await expectFailure(scheme, message(), context(['s3cret-1'], options), 'signature_missing');
    const byHeader = { organizationId: ORG, secretHeader: 'X-Switchyard-Token' };
    await expectOk(scheme, message(ONE, { 'x-switchyard-token': 's3cret-1' }), context(['s3cret-1'], byHeader));
    await expectFailure(scheme, message(ONE, { 'x-switchyard-token': 'guess' }), context(['s3cret-1'], byHeader), 'signature_invalid');
  });

  it('exposes the SOAP Ack that ingest must answer with', () => {
    assert.equal(scheme.successReply?.status, 200);
    assert.match(scheme.successReply?.contentType ?? '', /^text\/xml/);
    assert.match(scheme.successReply?.body ?? '', /<notificationsResponse xmlns="http:\/\/soap\.sforce\.com\/2005\/09\/outbound"><Ack>true<\/Ack><\/notificationsResponse>/);
  });

  it('rejects any single-byte change to the OrganizationId or the shared secret (the body carries no signature)', async () => {
    const options = { organizationId: ORG, secretHeader: 'x-switchyard-token' };
    const req = message(ONE, { 'x-switchyard-token': 's3cret-1' });
    await assertTamperRejected(scheme, req, context(['s3cret-1'], options), { body: false, headers: ['x-switchyard-token'] });
    const start = ONE.indexOf(ORG);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: ORG.length - 1 }), fc.integer({ min: 1, max: 255 }), async (offset, xor) => {
        const result = await scheme.verify(withBody(req, flip(req.rawBody, start + offset, xor)), context(['s3cret-1'], options));
        assert.equal(result.ok, false);
      }),
    );
  });

  it('validates options, naming the field', () => {
    assert.throws(() => scheme.parseOptions({}), { name: 'SchemeOptionsError', field: 'organizationId' });
    assert.throws(() => scheme.parseOptions({ organizationId: '001000000000001' }), { name: 'SchemeOptionsError', field: 'organizationId' });
  });
});
