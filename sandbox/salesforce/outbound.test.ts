import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { startReceiver, type Receiver } from '../core/test-receiver.ts';
import { startSalesforce } from './index.ts';
import { ACK } from './outbound-messages.ts';
import { ORG_ID } from './ids.ts';

type Fake = Awaited<ReturnType<typeof startSalesforce>>;

describe('Salesforce outbound messages', () => {
  let fake: Fake;
  let conn: InstanceType<typeof jsforce.Connection>;
  let receiver: Receiver;
  let receiverUrl = '';
  let nack = 0;

  before(async () => {
    // Salesforce needs the SOAP Ack; `nack` answers 200 without it, `statuses` queue failures.
    receiver = await startReceiver({
      path: '/sf',
      respond: () => {
        const status = receiver.statuses.shift();
        if (status !== undefined) return { status };
        const acked = nack <= 0;
        nack -= 1;
        return { status: 200, headers: { 'content-type': 'text/xml' }, body: acked ? ACK : '<ok/>' };
      },
    });
    receiverUrl = receiver.url;
    fake = await startSalesforce();
    conn = new jsforce.Connection({ instanceUrl: fake.url, accessToken: fake.credentials.accessToken, version: '60.0' });
    await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiverUrl, events: ['Lead', 'Account'] }) });
  });
  after(async () => {
    await fake.ctx.webhooks.drain();
    await fake.close();
    await receiver.close();
  });

  const notifications = (xml: string) => [...xml.matchAll(/<Notification>([\s\S]*?)<\/Notification>/g)].map((m) => m[1]!);

  test('an API create sends one SOAP notifications message with the OrganizationId and the record', async () => {
    receiver.received.length = 0;
    const created = await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Lovelace', Company: 'A & B <Co>' });
    await receiver.waitFor(1);
    const msg = receiver.received[0]!;
    assert.match(String(msg.headers['content-type']), /^text\/xml; charset=utf-8/);
    assert.equal(msg.headers.soapaction, '""');
    assert.ok(msg.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
    assert.match(msg.body, /<soapenv:Envelope xmlns:soapenv="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"/);
    assert.match(msg.body, /<notifications xmlns="http:\/\/soap.sforce.com\/2005\/09\/outbound">/);
    assert.equal(/<OrganizationId>(\w+)<\/OrganizationId>/.exec(msg.body)?.[1], ORG_ID);
    const [note] = notifications(msg.body);
    assert.match(note!, /<Id>04l\w{15}<\/Id>/);
    assert.match(note!, /<sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">/);
    assert.ok(note!.includes(`<sf:Id>${created.id}</sf:Id>`));
    assert.ok(note!.includes('<sf:Company>A &amp; B &lt;Co&gt;</sf:Company>'));
  });

  test('a collection of 150 creates arrives as two messages of 100 and 50 notifications', async () => {
    receiver.received.length = 0;
    const records = Array.from({ length: 150 }, (_, i) => ({ Name: `Bulk ${i}` }));
    const res = await conn.sobject('Account').create(records);
    assert.equal(res.length, 150);
    await receiver.waitFor(2);
    assert.deepEqual(receiver.received.map((r) => notifications(r.body).length).sort((a, b) => a - b), [50, 100]);
  });

  test('control-route edits fire too; deletes and unsubscribed types do not', async () => {
    receiver.received.length = 0;
    const made = await fetch(`${fake.url}/_sandbox/salesforce/records/Account`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Name: 'UI Co' }) }).then((r) => r.json()) as { Id: string };
    await fetch(`${fake.url}/_sandbox/salesforce/records/Account/${made.Id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Industry: 'Retail' }) });
    await receiver.waitFor(2);
    assert.equal(receiver.received.filter((r) => r.body.includes('<sf:Industry>Retail</sf:Industry>')).length, 1);
    await fetch(`${fake.url}/_sandbox/salesforce/records/Account/${made.Id}`, { method: 'DELETE' });
    await conn.sobject('Contact').create({ LastName: 'Not subscribed' });
    await fake.ctx.webhooks.drain();
    assert.equal(receiver.received.length, 2);
  });

  test('a failed delivery is retried with the same notification ids', async () => {
    receiver.received.length = 0;
    receiver.statuses.push(500);
    await conn.sobject('Lead').create({ LastName: 'Retry', Company: 'R' });
    await receiver.waitFor(2);
    // The receiver sees the retry before the sender logs its answer.
    await fake.ctx.webhooks.drain();
    assert.equal(receiver.received[0]!.body, receiver.received[1]!.body);
    const attempts = fake.ctx.webhooks.deliveries.filter((d) => d.body === receiver.received[0]!.body).map((d) => d.status);
    assert.deepEqual(attempts, [500, 200]);
  });

  test('a 2xx without <Ack>true</Ack> is not an acknowledgement: the message is sent again', async () => {
    receiver.received.length = 0;
    nack = 1;
    await conn.sobject('Lead').create({ LastName: 'Unacked', Company: 'U' });
    await receiver.waitFor(2);
    await fake.ctx.webhooks.drain();
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0]!.body, receiver.received[1]!.body);
  });
});
