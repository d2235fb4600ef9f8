import type { Connector, ModelSpec } from '../types.ts';
import { getRow, listRows } from './read.ts';
import { RESERVED } from './table.ts';
import { rowsFromWebhook } from './webhook.ts';
import { BATCH_ROWS, deleteRows, upsertRows } from './write.ts';

/**
 * Google Sheets: one model, `rows`, a sheet read as a table. Params:
 * `spreadsheetId`, `sheet` (title, default Sheet1) and optionally
 * `keyColumn` (a header name whose values are the record ids).
 */
const rows: ModelSpec = {
  name: 'rows',
  description: 'Rows of one sheet; the header row names the fields. Ids are key-column values, or row numbers without a key column.',
  schema: {
    type: 'object',
    required: ['id', '_row'],
    properties: {
      id: { type: 'string', description: 'The key column value, or the row number when no keyColumn is set' },
      _row: { type: 'integer', minimum: 2, description: '1-based row number in the sheet at read time' },
    },
    additionalProperties: { type: ['string', 'number', 'boolean'], description: 'One field per header cell' },
    'x-reserved': RESERVED,
  },
  batchLimit: BATCH_ROWS,
  incremental: false,
  list: listRows,
  get: getRow,
  upsert: upsertRows,
  delete: deleteRows,
};

export const connector: Connector = {
  provider: 'google',
  models: { rows },
  fromWebhook: rowsFromWebhook,
};
