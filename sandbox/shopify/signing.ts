import { createHmac } from 'node:crypto';

/** `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body, keyed by the app's client secret. */
export function shopifyHmac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}
