/**
 * `generic-hmac`: for providers without a scheme of their own. Everything is
 * an option (see README): header (required), algorithm, prefix, encoding,
 * timestamp header and signed-payload template, id and type locations.
 */
import { configurableHmacScheme } from './configurable-hmac.ts';

export const genericHmac = configurableHmacScheme('generic-hmac', { defaultType: 'webhook' });
