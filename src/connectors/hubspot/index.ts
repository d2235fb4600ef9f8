import type { Connector, ModelSpec } from '../types.ts';
import { schemaOf, type HubSpotRecord } from './normalise.ts';
import { BATCH_LIMIT, OBJECTS, type HubSpotObject } from './object-types.ts';
import { getObject, listObjects } from './read.ts';
import { changesFromWebhook } from './webhook.ts';
import { deleteObjects, upsertObjects } from './write.ts';

/**
 * HubSpot CRM: contacts, companies and deals with every property of the
 * portal (custom ones discovered from the properties API). See
 * docs/connectors/hubspot.md for the record shape and read/write strategy.
 */
const DESCRIPTIONS: Record<HubSpotObject, string> = {
  contacts: 'CRM contacts; incremental on lastmodifieddate; match by email',
  companies: 'CRM companies; incremental on hs_lastmodifieddate',
  deals: 'CRM deals; incremental on hs_lastmodifieddate',
};

function objectModel(type: HubSpotObject): ModelSpec<HubSpotRecord> {
  const info = OBJECTS[type];
  return {
    name: type,
    description: DESCRIPTIONS[type],
    schema: schemaOf(info),
    batchLimit: BATCH_LIMIT,
    incremental: true,
    ...(info.matchFields.length > 0 ? { matchFields: info.matchFields } : {}),
    list: (ctx, opts) => listObjects(info, ctx, opts),
    get: (ctx, id) => getObject(info, ctx, id),
    upsert: (ctx, inputs) => upsertObjects(info, ctx, inputs),
    delete: (ctx, ids) => deleteObjects(info, ctx, ids),
  };
}

export const connector: Connector = {
  provider: 'hubspot',
  models: { contacts: objectModel('contacts'), companies: objectModel('companies'), deals: objectModel('deals') },
  fromWebhook: changesFromWebhook,
};
