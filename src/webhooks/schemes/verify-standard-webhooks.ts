/**
 * Standard Webhooks (the spec Svix and others implement): `webhook-id`,
 * `webhook-timestamp` (unix s) and `webhook-signature`, a space-separated
 * list of `v1,<base64 HMAC-SHA256>` entries over `${id}.${timestamp}.${body}`.
 * The secret is `whsec_` + base64 of the key bytes; the key is the decoded
 * bytes, not the string. `svix-*` header spellings are read as well.
 * Asymmetric `v1a` entries are ignored (no public-key support here).
 */
import { z } from 'zod';
import type { WebhookScheme } from './types.ts';
import { hmac, verifyAgainstSecrets } from './crypto.ts';
import { parseWith, toleranceSec } from './options.ts';
import { header, jsonOf, stringField } from './request.ts';
import { missing } from './result.ts';
import { checkWindow, DEFAULT_TOLERANCE_SEC } from './window.ts';

const Options = z.object({ toleranceSec }).strict();

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export const standardWebhooks: WebhookScheme = {
  name: 'standard-webhooks',
  contentTypes: ['application/json'],
  jsonBody: true,
  toleranceSec: DEFAULT_TOLERANCE_SEC,
  parseOptions: (options) => parseWith('standard-webhooks', Options, options),
  verify(req, ctx) {
    const options = parseWith('standard-webhooks', Options, ctx.options);
    const id = header(req, 'webhook-id', 'svix-id');
    const timestamp = header(req, 'webhook-timestamp', 'svix-timestamp');
    const signature = header(req, 'webhook-signature', 'svix-signature');
    if (signature === undefined) return missing('webhook-signature');
    if (id === undefined) return missing('webhook-id');
    if (timestamp === undefined) return missing('webhook-timestamp');
    const candidates = signature.split(' ').filter((entry) => entry.startsWith('v1,'));
    const signed = verifyAgainstSecrets(ctx, candidates, (secret) => `v1,${hmac('sha256', keyOf(secret), [`${id}.${timestamp}.`, req.rawBody], 'base64')}`);
    if (!signed.ok) return signed;
    return checkWindow(timestamp, 's', ctx.now, options.toleranceSec) ?? signed;
  },
  describe(req, body) {
    const deliveryId = header(req, 'webhook-id', 'svix-id');
    return { type: stringField(jsonOf(req, body), 'type') ?? 'webhook', ...(deliveryId ? { deliveryId } : {}) };
  },
};
