/**
 * The scheme registry. A source names its scheme; ingest looks it up here.
 * Adding a provider is one new `verify-<name>.ts` plus one line below.
 */
import type { WebhookScheme } from './types.ts';
import { github } from './verify-github.ts';
import { stripe } from './verify-stripe.ts';
import { hubspot, hubspotV1, hubspotV2, hubspotV3 } from './verify-hubspot.ts';
import { slack } from './verify-slack.ts';
import { shopify } from './verify-shopify.ts';
import { monday } from './verify-monday.ts';
import { notion } from './verify-notion.ts';
import { google } from './verify-google.ts';
import { wordpress } from './verify-wordpress.ts';
import { salesforce } from './verify-salesforce.ts';
import { standardWebhooks } from './verify-standard-webhooks.ts';
import { genericHmac } from './verify-generic-hmac.ts';

const ALL: readonly WebhookScheme[] = [
  github, stripe, hubspot, hubspotV1, hubspotV2, hubspotV3, slack, shopify, monday,
  notion, google, wordpress, salesforce, standardWebhooks, genericHmac,
];

export const schemes: ReadonlyMap<string, WebhookScheme> = new Map(ALL.map((s) => [s.name, s]));

export function getScheme(name: string): WebhookScheme | undefined {
  return schemes.get(name);
}

export type { WebhookScheme } from './types.ts';
export { SchemeOptionsError } from './types.ts';
