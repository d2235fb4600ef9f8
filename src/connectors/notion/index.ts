import type { Connector, ModelSpec } from '../types.ts';
import { recordSchema, type NotionRecord } from './normalise.ts';
import { getPage, listPages } from './read.ts';
import { pagesFromWebhook } from './webhook.ts';
import { BATCH_LIMIT, trashPages, upsertPages } from './write.ts';

/** Notion: the pages of one database (`params.databaseId`), properties as plain values. */
const pages: ModelSpec<NotionRecord> = {
  name: 'pages',
  description: 'Pages of one Notion database with their properties as plain values; incremental on last_edited_time.',
  schema: recordSchema,
  batchLimit: BATCH_LIMIT,
  incremental: true,
  list: listPages,
  get: getPage,
  upsert: upsertPages,
  delete: trashPages,
};

export const connector: Connector = {
  provider: 'notion',
  models: { pages },
  fromWebhook: pagesFromWebhook,
};
