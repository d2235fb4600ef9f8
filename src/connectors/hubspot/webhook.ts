import type { WebhookChange, WebhookEventInput } from '../types.ts';
import { objectOfSingular } from './object-types.ts';

/**
 * A v3 delivery is a JSON array of events. Each object named in it becomes
 * one change; it counts as deleted when its latest event in the delivery is
 * a deletion (`*.deletion`, `contact.privacyDeletion`). Events for object
 * types without a model (tickets, conversations) are ignored.
 */
interface HubSpotEvent {
  subscriptionType?: unknown;
  objectId?: unknown;
  occurredAt?: unknown;
  eventId?: unknown;
}

export function changesFromWebhook(event: WebhookEventInput): WebhookChange[] {
  const events = Array.isArray(event.body) ? (event.body as HubSpotEvent[]) : [event.body as HubSpotEvent];
  const latest = new Map<string, { change: WebhookChange; at: number; seq: number }>();
  for (const e of events) {
    if (!e || typeof e.subscriptionType !== 'string' || (typeof e.objectId !== 'number' && typeof e.objectId !== 'string')) continue;
    const [singular, kind] = e.subscriptionType.split('.');
    const model = objectOfSingular(singular ?? '');
    if (!model) continue;
    const id = String(e.objectId);
    const at = typeof e.occurredAt === 'number' ? e.occurredAt : 0;
    const seq = typeof e.eventId === 'number' ? e.eventId : 0;
    const deleted = kind === 'deletion' || kind === 'privacyDeletion';
    const key = `${model}:${id}`;
    const prev = latest.get(key);
    if (prev && (prev.at > at || (prev.at === at && prev.seq > seq))) continue;
    latest.set(key, { change: deleted ? { model, id, deleted: true } : { model, id }, at, seq });
  }
  return [...latest.values()].map((v) => v.change);
}
