/**
 * Notion: `X-Notion-Signature: sha256=<hex HMAC-SHA256(verification token,
 * raw body)>`. The key is the one-time `verification_token` Notion POSTs when
 * a subscription is created (`{"verification_token":"secret_…"}`, unsigned).
 * That request is answered 200 before any secret exists; ingest keeps the
 * request as the source's last handshake so the operator can read the token,
 * paste it into Notion's Webhooks tab to activate the subscription, and add
 * it as the source's secret, which is what every later delivery is signed with.
 * The reply never echoes the token.
 */
import { z } from 'zod';
import type { WebhookScheme } from './types.ts';
import { hmac, verifyAgainstSecrets } from './crypto.ts';
import { parseWith } from './options.ts';
import { header, jsonOf, stringField } from './request.ts';
import { missing } from './result.ts';

const Options = z.object({}).strict();

export const notion: WebhookScheme = {
  name: 'notion',
  contentTypes: ['application/json'],
  jsonBody: true,
  parseOptions: (options) => parseWith('notion', Options, options),
  handshake(req, _ctx, verified) {
    if (verified || header(req, 'x-notion-signature') !== undefined) return undefined;
    if (stringField(jsonOf(req, undefined), 'verification_token') === undefined) return undefined;
    return { status: 200, contentType: 'application/json', body: '{}', record: true };
  },
  verify(req, ctx) {
    const signature = header(req, 'x-notion-signature');
    if (signature === undefined) return missing('X-Notion-Signature');
    const candidates = signature.startsWith('sha256=') ? [signature] : [];
    return verifyAgainstSecrets(ctx, candidates, (secret) => `sha256=${hmac('sha256', secret, [req.rawBody], 'hex')}`);
  },
  describe(req, body) {
    const event = jsonOf(req, body);
    const deliveryId = stringField(event, 'id');
    const type = stringField(event, 'type') ?? (stringField(event, 'verification_token') !== undefined ? 'verification' : 'unknown');
    return { type, ...(deliveryId ? { deliveryId } : {}) };
  },
};
