import type { WebhookChange, WebhookEventInput } from '../types.ts';

/**
 * Outbound messages (SOAP). The hub keeps the XML as text; each
 * `<Notification>` holds an `<sObject xsi:type="sf:Lead">` snapshot whose
 * `<sf:Id>` is the record. Salesforce sends them on create and update only,
 * never on delete, so no change here is a deletion. The snapshot carries only
 * the fields the workflow rule selected, so the change names the record and
 * the sync reads it in full.
 */
const NOTIFICATION = /<(?:[\w-]+:)?Notification(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w-]+:)?Notification>/g;
const SOBJECT = /<(?:[\w-]+:)?sObject\s[^>]*?xsi:type="(?:[\w-]+:)?(\w+)"[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?sObject>/;
const RECORD_ID = /<(?:[\w-]+:)?Id>\s*([A-Za-z0-9]{15,18})\s*<\/(?:[\w-]+:)?Id>/;

export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body && typeof body === 'object' && typeof (body as { raw?: unknown }).raw === 'string') return (body as { raw: string }).raw;
  return '';
}

export function outboundRecords(xml: string): Array<{ type: string; id: string }> {
  const out: Array<{ type: string; id: string }> = [];
  for (const m of xml.matchAll(NOTIFICATION)) {
    const sobject = SOBJECT.exec(m[1] ?? '');
    const id = sobject ? RECORD_ID.exec(sobject[2] ?? '')?.[1] : undefined;
    if (sobject?.[1] && id) out.push({ type: sobject[1], id });
  }
  return out;
}

/** `named` are the types with a model of their own; others go to the `sobject` model with `params.object`. */
export function changesFromOutbound(event: WebhookEventInput, named: ReadonlySet<string>): WebhookChange[] {
  const seen = new Set<string>();
  const changes: WebhookChange[] = [];
  for (const { type, id } of outboundRecords(bodyText(event.body))) {
    if (seen.has(`${type}:${id}`)) continue;
    seen.add(`${type}:${id}`);
    changes.push(named.has(type) ? { model: type, id } : { model: 'sobject', id, params: { object: type } });
  }
  return changes;
}
