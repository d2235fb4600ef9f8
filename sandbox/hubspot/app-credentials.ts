import type { HubSpotContext } from './knobs.ts';

/**
 * The one public app the fake knows out of the box. HubSpot signs webhooks
 * with the app's client secret, so this secret is also the default webhook key.
 */
export const SANDBOX_CLIENT_ID = 'sandbox-hubspot-client-0001';
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret-aaaa-bbbb-cccc-dddddddddddd';

export function appSecret(ctx: HubSpotContext): string {
  return ctx.oauth.clients.get(SANDBOX_CLIENT_ID)?.secret ?? SANDBOX_CLIENT_SECRET;
}
