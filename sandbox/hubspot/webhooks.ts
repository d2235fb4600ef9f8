import { createHash, createHmac } from 'node:crypto';
import type { OutgoingDelivery, Signer, Subscription } from '../core/webhook-sender.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { HubSpotContext, HubSpotKnobs } from './knobs.ts';
import type { Change } from './store.ts';

/**
 * Turns CRM changes into HubSpot webhook deliveries: a JSON array of events
 * per request, signed with the app's client secret by the scheme the
 * `webhookSignatureVersion` knob picks.
 */
export interface HubSpotEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  changeFlag?: 'NEW' | 'DELETED';
  propertyName?: string;
  propertyValue?: string;
  sourceId?: string;
}

/** Where a change came from, as HubSpot reports it in `changeSource`. */
export type ChangeSource = 'API' | 'CRM_UI' | 'IMPORT' | 'INTEGRATION';

export function eventsFor(ctx: HubSpotContext, changes: Change[], changeSource: ChangeSource, occurredAt = Date.now()): HubSpotEvent[] {
  return changes.map((c) => {
    const base = {
      eventId: ctx.state.nextEventId++, subscriptionId: 0, portalId: ctx.knobs.portalId, appId: ctx.knobs.appId,
      occurredAt, subscriptionType: `${OBJECT_TYPES[c.type].singular}.${c.kind}`, attemptNumber: 0,
      objectId: Number(c.id), changeSource,
    };
    if (c.kind === 'propertyChange') return { ...base, propertyName: c.propertyName, propertyValue: c.propertyValue };
    return { ...base, changeFlag: c.kind === 'creation' ? 'NEW' as const : 'DELETED' as const };
  });
}

/** Sends the changes to every matching subscription; resolves once each first attempt is done. */
export async function fireChanges(ctx: HubSpotContext, changes: Change[], changeSource: ChangeSource, fallbackSecret: string): Promise<void> {
  if (changes.length === 0 || ctx.webhooks.subscriptions.size === 0) return;
  const byType = new Map<string, HubSpotEvent[]>();
  for (const e of eventsFor(ctx, changes, changeSource)) {
    byType.set(e.subscriptionType, [...(byType.get(e.subscriptionType) ?? []), e]);
  }
  const signer = hubspotSigner(ctx.knobs, fallbackSecret);
  const sends: Promise<void>[] = [];
  for (const [type, events] of byType) {
    for (let i = 0; i < events.length; i += ctx.knobs.webhookMaxEvents) {
      sends.push(ctx.webhooks.emit(type, JSON.stringify(events.slice(i, i + ctx.knobs.webhookMaxEvents)), signer));
    }
  }
  await Promise.all(sends);
}

/** HubSpot's subscription ids are numbers; the core's may be any string. */
function numericId(sub: Subscription): number {
  const n = Number(sub.id);
  return Number.isSafeInteger(n) ? n : parseInt(createHash('sha256').update(sub.id).digest('hex').slice(0, 8), 16);
}

export function hubspotSigner(knobs: Pick<HubSpotKnobs, 'webhookSignatureVersion'>, fallbackSecret: string): Signer {
  return (sub, body, _eventType, attempt): OutgoingDelivery => {
    const events = (JSON.parse(body) as HubSpotEvent[]).map((e) => ({ ...e, subscriptionId: numericId(sub), attemptNumber: attempt }));
    const payload = JSON.stringify(events);
    const secret = sub.secret || fallbackSecret;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
      ...signatureHeaders(knobs.webhookSignatureVersion, secret, 'POST', sub.url, payload, Date.now()),
    };
    return { url: sub.url, headers, body: payload };
  };
}

/** The three documented schemes; v3 signs method + URI + body + timestamp (ms) with HMAC. */
export function signatureHeaders(version: 'v1' | 'v2' | 'v3', secret: string, method: string, uri: string, body: string, timestampMs: number): Record<string, string> {
  if (version === 'v3') {
    const signature = createHmac('sha256', secret).update(`${method}${uri}${body}${timestampMs}`).digest('base64');
    return { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestampMs) };
  }
  const source = version === 'v1' ? `${secret}${body}` : `${secret}${method}${uri}${body}`;
  return { 'X-HubSpot-Signature': createHash('sha256').update(source).digest('hex'), 'X-HubSpot-Signature-Version': version };
}
