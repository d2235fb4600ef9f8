import { createHmac } from 'node:crypto';
import type { OutgoingDelivery, Signer } from '../core/webhook-sender.ts';
import { recordEvent, type StripeEvent } from './store.ts';
import type { StripeContext } from './knobs.ts';

/**
 * Stripe webhook deliveries: the event as pretty-printed JSON, signed
 * `Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "t.body")>`
 * with the endpoint's `whsec_` secret used as-is for the key.
 */
export function stripeSignature(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export const stripeSigner: Signer = (sub, body): OutgoingDelivery => ({
  url: sub.url,
  body,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    'cache-control': 'no-cache',
    'stripe-signature': stripeSignature(sub.secret, body, Math.floor(Date.now() / 1000)),
  },
});

export function matchingSubscriptions(ctx: StripeContext, type: string): number {
  return [...ctx.webhooks.subscriptions.values()].filter((s) => s.events.length === 0 || s.events.includes(type)).length;
}

/** Resolves once every first attempt is done; retries continue in the background. */
export function deliver(ctx: StripeContext, event: StripeEvent): Promise<void> {
  return ctx.webhooks.emit(event.type, JSON.stringify(event, null, 2), stripeSigner);
}

/** Records an event for a change and sends it to every matching endpoint. */
export function publish(ctx: StripeContext, type: string, object: unknown, extra: { previous?: Record<string, unknown>; requestId?: string; idempotencyKey?: string } = {}): { event: StripeEvent; sent: Promise<void> } {
  const event = recordEvent(ctx.state, ctx.random, type, object, { ...extra, pendingWebhooks: matchingSubscriptions(ctx, type) });
  return { event, sent: deliver(ctx, event) };
}
