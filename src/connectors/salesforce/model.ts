import type { ConnectorContext, JsonSchema, ModelSpec } from '../types.ts';
import type { SfRecord } from './normalise.ts';
import { getRecord, listChanges } from './read.ts';
import { assertName } from './soql.ts';
import { COLLECTION_LIMIT, deleteRecords, upsertRecords } from './write.ts';

/**
 * One model per sObject. The four standard objects are named models; any
 * other object, custom ones included, goes through the `sobject` model with
 * `params.object` (`Foo__c`). Fields come from describe at run time, so the
 * schema lists the ones every object has and allows the rest.
 */
const SYSTEM_PROPERTIES = {
  id: { type: 'string', description: 'Salesforce record id (18 characters)' },
  IsDeleted: { type: 'boolean' },
  OwnerId: { type: ['string', 'null'] },
  CreatedDate: { type: 'string', format: 'date-time' },
  CreatedById: { type: 'string' },
  LastModifiedDate: { type: 'string', format: 'date-time' },
  LastModifiedById: { type: 'string' },
  SystemModstamp: { type: 'string', format: 'date-time' },
};

const str = { type: ['string', 'null'] };
const num = { type: ['number', 'null'] };

export const STANDARD_FIELDS: Record<string, Record<string, unknown>> = {
  Lead: { FirstName: str, LastName: { type: 'string' }, Name: str, Company: { type: 'string' }, Title: str, Email: str, Phone: str, Status: str, LeadSource: str, Industry: str, AnnualRevenue: num, NumberOfEmployees: num, IsConverted: { type: 'boolean' } },
  Account: { Name: { type: 'string' }, Type: str, Industry: str, Website: str, Phone: str, BillingCity: str, BillingCountry: str, AnnualRevenue: num, NumberOfEmployees: num, Description: str },
  Contact: { AccountId: str, FirstName: str, LastName: { type: 'string' }, Name: str, Email: str, Phone: str, Title: str, MailingCity: str, MailingCountry: str, LeadSource: str },
  Opportunity: { AccountId: str, Name: { type: 'string' }, StageName: { type: 'string' }, CloseDate: { type: 'string', format: 'date' }, Amount: num, Probability: num, IsClosed: { type: 'boolean' }, IsWon: { type: 'boolean' } },
};

const MATCH_FIELDS: Record<string, readonly string[]> = { Lead: ['Email'], Contact: ['Email'], Account: ['Name', 'Website'], Opportunity: ['Name'] };

function schemaFor(object: string | undefined): JsonSchema {
  return {
    type: 'object',
    required: ['id'],
    properties: { ...SYSTEM_PROPERTIES, ...(object ? STANDARD_FIELDS[object] : {}) },
    additionalProperties: true,
  };
}

type ObjectOf = (ctx: ConnectorContext) => string;

function modelFor(name: string, description: string, objectOf: ObjectOf, schemaObject?: string): ModelSpec<SfRecord> {
  return {
    name,
    description,
    schema: schemaFor(schemaObject),
    batchLimit: COLLECTION_LIMIT,
    incremental: true,
    matchFields: schemaObject ? MATCH_FIELDS[schemaObject] ?? [] : [],
    list: (ctx, opts) => listChanges(ctx, objectOf(ctx), opts),
    get: (ctx, id) => getRecord(ctx, objectOf(ctx), id),
    upsert: (ctx, inputs) => upsertRecords(ctx, objectOf(ctx), inputs),
    delete: (ctx, ids) => deleteRecords(ctx, objectOf(ctx), ids),
  };
}

/** A model for one named sObject (`sobject('Foo__c')`). */
export function sobject(object: string): ModelSpec<SfRecord> {
  assertName(object, 'sObject');
  return modelFor(object, `Salesforce ${object} records`, () => object, object);
}

/** The model whose object is chosen per call by `params.object`. */
export const anySobject: ModelSpec<SfRecord> = modelFor('sobject', 'Any Salesforce sObject, custom ones included: params.object names it (e.g. Foo__c)', (ctx) => {
  const object = ctx.params.object;
  if (typeof object !== 'string') throw new Error('salesforce sobject model: params.object (the sObject API name) is required');
  return assertName(object, 'sObject');
});
