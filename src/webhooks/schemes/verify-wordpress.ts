/**
 * WordPress core sends no webhooks; sites use a plugin that POSTs JSON and
 * signs it with a shared secret. The defaults match the Switchyard sandbox
 * fake's knobs in sandbox/wordpress/knobs.ts (`X-WP-Webhook-Signature`,
 * base64 HMAC-SHA256 of the raw body, no prefix); every part is overridable for other plugins, as in generic-hmac.
 * The event type comes from the `typeHeader` / `typePath` options, else
 * `wordpress.webhook`.
 */
import { configurableHmacScheme } from './configurable-hmac.ts';

export const wordpress = configurableHmacScheme('wordpress', {
  header: 'x-wp-webhook-signature',
  algorithm: 'sha256',
  encoding: 'base64',
  defaultType: 'wordpress.webhook',
});
