/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`.
 * The legacy SHA-1 `X-Hub-Signature` is ignored on purpose: accepting it
 * would let a SHA-1 signature stand in for the stronger one. GitHub signs no
 * timestamp, so there is no replay window; dedup on `X-GitHub-Delivery`
 * is what stops a replay from becoming a second event.
 */
import { z } from 'zod';
import type { WebhookScheme } from './types.ts';
import { hmac, verifyAgainstSecrets } from './crypto.ts';
import { parseWith } from './options.ts';
import { header, jsonOf, stringField } from './request.ts';
import { missing } from './result.ts';

const Options = z.object({}).strict();

export const github: WebhookScheme = {
  name: 'github',
  contentTypes: ['application/json'],
  jsonBody: true,
  parseOptions: (options) => parseWith('github', Options, options),
  verify(req, ctx) {
    const signature = header(req, 'x-hub-signature-256');
    if (signature === undefined) return missing('X-Hub-Signature-256');
    const candidates = signature.startsWith('sha256=') ? [signature] : [];
    return verifyAgainstSecrets(ctx, candidates, (secret) => `sha256=${hmac('sha256', secret, [req.rawBody], 'hex')}`);
  },
  describe(req, body) {
    const event = header(req, 'x-github-event') ?? 'unknown';
    const action = stringField(jsonOf(req, body), 'action');
    const deliveryId = header(req, 'x-github-delivery');
    return { type: action ? `${event}.${action}` : event, ...(deliveryId ? { deliveryId } : {}) };
  },
};
