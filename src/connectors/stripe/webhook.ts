import type { WebhookChange, WebhookEventInput } from '../types.ts';
import type { StripeEvent } from './shared.ts';

/**
 * A Stripe webhook body is the event itself: it is a record of `events`,
 * and when its object is a customer, a change to that customer
 * (`customer.deleted` a deletion). Other objects (subscriptions, sources)
 * carry `customer` ids but are not customer changes.
 */
export function fromStripeWebhook(event: WebhookEventInput): WebhookChange[] {
  const e = event.body as Partial<StripeEvent> | undefined;
  if (!e || typeof e.id !== 'string' || !e.id.startsWith('evt_')) return [];
  const changes: WebhookChange[] = [{ model: 'events', id: e.id }];
  const obj = e.data?.object;
  if (obj?.object === 'customer' && typeof obj.id === 'string') {
    changes.push({ model: 'customers', id: obj.id, ...(e.type === 'customer.deleted' ? { deleted: true } : {}) });
  }
  return changes;
}
