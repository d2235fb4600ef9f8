/**
 * The providers a webhook source can name, and the scheme each uses unless
 * the source picks another (HubSpot v1/v2, a generic sender's HMAC ...).
 * The provider catalog (catalog/*.yaml) will take this over.
 */
export const DEFAULT_SCHEME: Readonly<Record<string, string>> = {
  github: 'github',
  stripe: 'stripe',
  hubspot: 'hubspot',
  slack: 'slack',
  shopify: 'shopify',
  monday: 'monday',
  notion: 'notion',
  google: 'google',
  wordpress: 'wordpress',
  salesforce: 'salesforce',
  'standard-webhooks': 'standard-webhooks',
  generic: 'generic-hmac',
};

export const PROVIDERS = Object.keys(DEFAULT_SCHEME);
