import type { Subscription } from '../core/webhook-sender.ts';
import { makeId, ORG_ID } from './ids.ts';
import { objectDef } from './schema.ts';
import type { Change, Rec } from './store.ts';
import type { SfCtx } from './state.ts';

/**
 * Outbound messages: Salesforce's workflow push. A SOAP `notifications`
 * envelope with up to 100 `Notification` elements, each a record snapshot.
 * There is no HMAC: receivers trust the OrganizationId (and TLS), so the
 * subscription's secret is not used. The event type is the sObject name.
 */
const MAX_PER_MESSAGE = 100;
const wired = new WeakSet<object>();

/** Hooks the current store's commits up to delivery (again after each reset). */
export function wireOutbound(ctx: SfCtx): void {
  const store = ctx.state.store;
  if (wired.has(store)) return;
  wired.add(store);
  store.onCommit = (changes) => sendOutbound(ctx, changes);
}

function sendOutbound(ctx: SfCtx, changes: Change[]): void {
  const wanted = ctx.knobs.outboundObjects;
  const byType = new Map<string, Rec[]>();
  for (const c of changes) {
    // Workflow rules fire on create and update, never on delete.
    if (c.kind === 'deleted') continue;
    if (wanted.length > 0 && !wanted.includes(c.type)) continue;
    byType.set(c.type, [...(byType.get(c.type) ?? []), c.record]);
  }
  for (const [type, records] of byType) {
    for (let i = 0; i < records.length; i += MAX_PER_MESSAGE) {
      const body = envelope(ctx, type, records.slice(i, i + MAX_PER_MESSAGE));
      void ctx.webhooks.emit(type, body, (sub: Subscription, payload: string) => ({
        url: sub.url,
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', 'User-Agent': 'Salesforce Outbound Message' },
        body: payload,
      }), { isAck: acknowledged });
    }
  }
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function envelope(ctx: SfCtx, type: string, records: Rec[]): string {
  const obj = objectDef(type)!;
  const version = `${ctx.knobs.latestVersion}.0`;
  const notes = records.map((r) => {
    ctx.state.serial += 1;
    const fields = obj.fields
      .filter((fd) => r[fd.name] !== null && r[fd.name] !== undefined)
      .map((fd) => `     <sf:${fd.name}>${esc(String(r[fd.name]))}</sf:${fd.name}>`).join('\n');
    return `   <Notification>
    <Id>${makeId('04l', ctx.state.serial)}</Id>
    <sObject xsi:type="sf:${obj.name}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
${fields}
    </sObject>
   </Notification>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${ORG_ID}</OrganizationId>
   <ActionId>${makeId('04k', obj.keyPrefix.charCodeAt(2))}</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>${esc(ctx.baseUrl())}/services/Soap/c/${version}/${ORG_ID.slice(0, 15)}</EnterpriseUrl>
   <PartnerUrl>${esc(ctx.baseUrl())}/services/Soap/u/${version}/${ORG_ID.slice(0, 15)}</PartnerUrl>
${notes}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>
`;
}

/** Salesforce keeps a message queued until the endpoint answers 2xx with `<Ack>true</Ack>`. */
function acknowledged(status: number, _headers: Record<string, string>, body: string): boolean {
  return status >= 200 && status < 300 && /<(?:\w+:)?Ack>\s*true\s*<\/(?:\w+:)?Ack>/.test(body);
}

/** The acknowledgement an endpoint must answer with; tests' receivers reply with it. */
export const ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
 <soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body>
</soapenv:Envelope>`;
