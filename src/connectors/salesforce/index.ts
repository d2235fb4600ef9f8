import type { Connector } from '../types.ts';
import { anySobject, sobject } from './model.ts';
import { changesFromOutbound } from './outbound.ts';

/**
 * Salesforce: Lead, Account, Contact and Opportunity by name, any other
 * sObject through `sobject` with `params.object`. The API base
 * (`{instanceUrl}/services/data/v{apiVersion}`) comes from the catalog and
 * the connection's config, so every path here is relative to it.
 */
const NAMED = ['Lead', 'Account', 'Contact', 'Opportunity'] as const;

export { sobject };

export const connector: Connector = {
  provider: 'salesforce',
  models: {
    ...Object.fromEntries(NAMED.map((name) => [name, sobject(name)])),
    sobject: anySobject,
  },
  fromWebhook: (event) => changesFromOutbound(event, new Set(NAMED)),
};
