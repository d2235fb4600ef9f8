/**
 * Shopify: `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256(app client secret,
 * raw body). Shopify's newer "Events" delivery drops the `X-` prefix
 * (`shopify-hmac-sha256`, `shopify-topic`, ...), so both spellings are read.
 * No timestamp is signed; dedup on the webhook id stops replays.
 * After a secret rotation Shopify keeps signing with the old secret for up
 * to an hour: keep both as source secrets for that long.
 */
import { z } from 'zod';
import type { WebhookScheme } from './types.ts';
import { hmac, verifyAgainstSecrets } from './crypto.ts';
import { parseWith } from './options.ts';
import { header } from './request.ts';
import { missing } from './result.ts';

const Options = z.object({}).strict();

export const shopify: WebhookScheme = {
  name: 'shopify',
  contentTypes: ['application/json'],
  jsonBody: true,
  parseOptions: (options) => parseWith('shopify', Options, options),
  verify(req, ctx) {
    const signature = header(req, 'x-shopify-hmac-sha256', 'shopify-hmac-sha256');
    if (signature === undefined) return missing('X-Shopify-Hmac-Sha256');
    return verifyAgainstSecrets(ctx, [signature], (secret) => hmac('sha256', secret, [req.rawBody], 'base64'));
  },
  describe(req) {
    const type = header(req, 'x-shopify-topic', 'shopify-topic') ?? 'unknown';
    const deliveryId = header(req, 'x-shopify-webhook-id', 'shopify-webhook-id', 'x-shopify-event-id', 'shopify-event-id');
    return { type, ...(deliveryId ? { deliveryId } : {}) };
  },
};
