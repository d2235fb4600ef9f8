import type { Connector, ModelSpec } from '../types.ts';
import { deleteCustomers, upsertCustomers } from './customer-writes.ts';
import { getCustomer, listCustomers, type CustomerRecord } from './customers.ts';
import { events } from './events.ts';
import { fromStripeWebhook } from './webhook.ts';

const nullableString = { type: ['string', 'null'] };

const customers: ModelSpec<CustomerRecord> = {
  name: 'customers',
  description: 'Stripe customers; incremental through the customer.* events of the last 30 days.',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Stripe customer',
    type: 'object',
    required: ['id', 'balance', 'metadata', 'createdAt'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', description: 'cus_…' },
      email: nullableString, name: nullableString, phone: nullableString, description: nullableString,
      balance: { type: 'integer', description: 'In the smallest currency unit' },
      currency: nullableString,
      metadata: { type: 'object', additionalProperties: { type: 'string' } },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  // No batch endpoint: one call per record.
  batchLimit: 1,
  incremental: true,
  matchFields: ['email'],
  list: listCustomers,
  get: getCustomer,
  upsert: upsertCustomers,
  delete: deleteCustomers,
};

export const connector: Connector = {
  provider: 'stripe',
  models: { events, customers },
  fromWebhook: fromStripeWebhook,
};
