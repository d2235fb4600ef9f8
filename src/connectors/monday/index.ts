import type { Connector, ModelSpec } from '../types.ts';
import { boardsModel } from './boards.ts';
import { getItem, listItems } from './items-read.ts';
import { deleteItems, ITEMS_BATCH_LIMIT, upsertItems } from './items-write.ts';
import { itemSchema, type MondayItem } from './normalise.ts';
import { changesFromWebhook } from './webhook.ts';

/**
 * monday.com over GraphQL: boards (read-only) and the items of one board
 * (`params.boardId`) with typed column values. See docs/connectors/monday.md
 * for the record shape, why items are not incremental, and the batching.
 */
const itemsModel: ModelSpec<MondayItem> = {
  name: 'items',
  description: 'Items of one board (params.boardId) with typed column values; full reads, diffed by hash',
  schema: itemSchema,
  batchLimit: ITEMS_BATCH_LIMIT,
  incremental: false,
  matchFields: ['email'],
  list: listItems,
  get: getItem,
  upsert: upsertItems,
  delete: deleteItems,
};

export const connector: Connector = {
  provider: 'monday',
  models: { boards: boardsModel, items: itemsModel },
  fromWebhook: changesFromWebhook,
};
