import { randomUUID } from 'node:crypto';
import { startFake, type FakeContext, type FakeDefinition, type RunningFake, type StartOptions } from '../core/server.ts';
import type { Signer } from '../core/webhook-sender.ts';
import { samplePayload } from './payloads.ts';
import { shopifyHmac } from './signing.ts';

/**
 * Shopify as a sender only: a control call makes it deliver a topic's JSON
 * with the X-Shopify-* headers and a base64 HMAC of the body, retrying on
 * failure (8 retries over 4 h in Shopify, scaled down here).
 */
export interface ShopifyKnobs {
  shopDomain: string;
  apiVersion: string;
  /** The app's client secret; signs deliveries to subscriptions registered without their own secret. */
  clientSecret: string;
}

export const defaultKnobs: ShopifyKnobs = { shopDomain: 'sandbox-shop.myshopify.com', apiVersion: '2026-01', clientSecret: 'shpss_sandbox_secret' };

type ShopifyContext = FakeContext<Record<string, never>, ShopifyKnobs>;

interface Trigger {
  topic?: string;
  payload?: unknown;
  subTopic?: string;
  name?: string;
}

/** Ids stay the same on every retry of one delivery, so receivers can dedupe on them. */
function signer(ctx: ShopifyContext, t: Required<Pick<Trigger, 'topic'>> & Trigger): Signer {
  const eventId = randomUUID();
  const triggeredAt = new Date().toISOString();
  const webhookIds = new Map<string, string>();
  return (sub, body) => {
    const webhookId = webhookIds.get(sub.id) ?? randomUUID();
    webhookIds.set(sub.id, webhookId);
    return {
      url: sub.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Shopify-Captain-Hook',
        'x-shopify-topic': t.topic,
        'x-shopify-hmac-sha256': shopifyHmac(sub.secret || ctx.knobs.clientSecret, body),
        'x-shopify-shop-domain': ctx.knobs.shopDomain,
        'x-shopify-api-version': ctx.knobs.apiVersion,
        'x-shopify-webhook-id': webhookId,
        'x-shopify-triggered-at': triggeredAt,
        'x-shopify-event-id': eventId,
        ...(t.subTopic ? { 'x-shopify-sub-topic': t.subTopic } : {}),
        ...(t.name ? { 'x-shopify-name': t.name } : {}),
      },
    };
  };
}

export const definition: FakeDefinition<Record<string, never>, ShopifyKnobs> = {
  name: 'shopify',
  tokenPrefix: 'shpat_',
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // 8 retries over 4 hours in Shopify (UNCONFIRMED-primary); scaled down.
  webhookRetryDelaysMs: [100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800],
  createState: () => ({}),
  seed: () => undefined,
  send429: (reply) => reply.code(429).header('retry-after', '2.0').send({ errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }),
  routes: (app, ctx) => {
    // Shopify waits 5 s in total for an answer.
    ctx.webhooks.timeoutMs = 5_000;

    app.post('/_sandbox/shopify/webhooks', async (req, reply) => {
      const t = (req.body ?? {}) as Trigger;
      if (!t.topic || !/^[a-z_]+\/[a-z_]+$/.test(t.topic)) return reply.code(400).send({ error: 'topic like "orders/create" is required' });
      const body = JSON.stringify(t.payload ?? samplePayload(t.topic, ctx.random, ctx.knobs.shopDomain));
      const sign = signer(ctx, { ...t, topic: t.topic });
      await ctx.webhooks.emit(t.topic, body, sign);
      return reply.code(202).send({ topic: t.topic, body });
    });
  },
  inspect: (ctx) => ({ shop: ctx.knobs.shopDomain, subscriptions: ctx.webhooks.subscriptions.size, deliveries: ctx.webhooks.deliveries.length }),
  credentials: (ctx) => ({ shopDomain: ctx.knobs.shopDomain, clientSecret: ctx.knobs.clientSecret, apiVersion: ctx.knobs.apiVersion }),
};

export function startShopify(opts?: StartOptions<ShopifyKnobs>): Promise<RunningFake<Record<string, never>, ShopifyKnobs>> {
  return startFake(definition, opts);
}
