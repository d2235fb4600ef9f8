/**
 * Switches for the WordPress fake. Core WordPress has no webhooks and no rate
 * limits; the webhook is plugin-style (WP Webhooks and similar), so its header
 * name and signature encoding are knobs.
 */
export interface WordPressKnobs {
  siteName: string;
  /** Header carrying the HMAC-SHA256 of the raw body, keyed by the subscription secret. */
  webhookSignatureHeader: string;
  webhookSignatureEncoding: 'base64' | 'hex';
  /** Application passwords are refused over plain HTTP unless the site is "local" (off here: the fake is HTTP). */
  requireHttpsForAppPasswords: boolean;
  /** Seconds a host/plugin 429 asks clients to wait (core sends none; only the 429 fault uses it). */
  retryAfterSec: number;
}

export const defaultKnobs: WordPressKnobs = {
  siteName: 'Switchyard Sandbox',
  webhookSignatureHeader: 'X-WP-Webhook-Signature',
  webhookSignatureEncoding: 'base64',
  requireHttpsForAppPasswords: false,
  retryAfterSec: 1,
};
