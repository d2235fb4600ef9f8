/**
 * Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>...][,v0=...]`,
 * each v1 an HMAC-SHA256 over `${t}.${raw body}` keyed by the full `whsec_…`
 * string. Several v1 entries appear while Stripe rolls an endpoint secret;
 * any one matching is enough. The signature is checked before the window,
 * so only an authentic request is ever reported as stale.
 */
import { z } from 'zod';
import type { WebhookScheme } from './types.ts';
import { hmac, verifyAgainstSecrets } from './crypto.ts';
import { parseWith, toleranceSec } from './options.ts';
import { header, jsonOf, stringField } from './request.ts';
import { invalid, missing } from './result.ts';
import { checkWindow, DEFAULT_TOLERANCE_SEC } from './window.ts';

const Options = z.object({ toleranceSec }).strict();

interface StripeHeader {
  timestamp?: string;
  v1: string[];
}

function parseHeader(value: string): StripeHeader {
  const parsed: StripeHeader = { v1: [] };
  for (const item of value.split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    const val = item.slice(at + 1).trim();
    if (key === 't') parsed.timestamp = val;
    else if (key === 'v1') parsed.v1.push(val);
  }
  return parsed;
}

export const stripe: WebhookScheme = {
  name: 'stripe',
  contentTypes: ['application/json'],
  jsonBody: true,
  toleranceSec: DEFAULT_TOLERANCE_SEC,
  parseOptions: (options) => parseWith('stripe', Options, options),
  verify(req, ctx) {
    const options = parseWith('stripe', Options, ctx.options);
    const value = header(req, 'stripe-signature');
    if (value === undefined) return missing('Stripe-Signature');
    const { timestamp, v1 } = parseHeader(value);
    if (timestamp === undefined) return invalid('Stripe-Signature has no t= timestamp');
    const signed = verifyAgainstSecrets(ctx, v1, (secret) => hmac('sha256', secret, [`${timestamp}.`, req.rawBody], 'hex'));
    if (!signed.ok) return signed;
    return checkWindow(timestamp, 's', ctx.now, options.toleranceSec) ?? signed;
  },
  describe(req, body) {
    const event = jsonOf(req, body);
    const deliveryId = stringField(event, 'id');
    return { type: stringField(event, 'type') ?? 'unknown', ...(deliveryId ? { deliveryId } : {}) };
  },
};
