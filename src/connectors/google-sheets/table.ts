import type { ConnectorContext } from '../types.ts';
import { columnFrom, rowsRange, spreadsheetPath } from './a1.ts';

/**
 * A sheet seen as a table: row 1 names the fields, every later non-blank
 * row is a record. A record's id is its key column's value when the
 * connection names one, else its row number (which moves when someone
 * inserts or sorts rows; see docs/connectors/google.md).
 */

export type Cell = string | number | boolean;

export interface SheetParams {
  spreadsheetId: string;
  sheet: string;
  /** Header name of the column whose values are record ids; absent = row numbers. */
  keyColumn?: string;
}

/** Fields the connector itself sets on a record; a header cell of the same name is hidden by them. */
export const RESERVED = ['id', '_row'] as const;

export function sheetParams(ctx: ConnectorContext): SheetParams {
  const { spreadsheetId, sheet, keyColumn } = ctx.params as Record<string, unknown>;
  if (typeof spreadsheetId !== 'string' || spreadsheetId === '') throw new Error('google rows: params.spreadsheetId is required');
  if (sheet !== undefined && typeof sheet !== 'string') throw new Error('google rows: params.sheet must be a sheet title');
  if (keyColumn !== undefined && (typeof keyColumn !== 'string' || keyColumn === '')) throw new Error('google rows: params.keyColumn must be a header name');
  return { spreadsheetId, sheet: sheet ?? 'Sheet1', ...(keyColumn ? { keyColumn } : {}) };
}

interface ValueRange { range: string; values?: Cell[][] }

/** Header cells as field names; blank and repeated names get no field (their column is skipped). */
export function fieldNames(headerRow: readonly Cell[] | undefined): Array<string | undefined> {
  const seen = new Set<string>();
  return (headerRow ?? []).map((cell) => {
    const name = String(cell).trim();
    if (name === '' || seen.has(name)) return undefined;
    seen.add(name);
    return name;
  });
}

export function isBlank(row: readonly Cell[] | undefined): boolean {
  return !row || row.every((c) => c === '' || c === null || c === undefined);
}

/** One row as a flat record: header fields, then the connector's `id` and `_row`. */
export function toRecord(fields: ReadonlyArray<string | undefined>, row: readonly Cell[], rowNumber: number, id: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  fields.forEach((name, i) => {
    if (name !== undefined) record[name] = row[i] ?? '';
  });
  record.id = id;
  record._row = rowNumber;
  return record;
}

/** The key of a row, or undefined when the row has no usable key (blank key cell). */
export function rowId(params: SheetParams, fields: ReadonlyArray<string | undefined>, row: readonly Cell[], rowNumber: number): string | undefined {
  if (!params.keyColumn) return String(rowNumber);
  const col = fields.indexOf(params.keyColumn);
  const value = col < 0 ? undefined : row[col];
  if (value === undefined || value === '') return undefined;
  return String(value);
}

export async function gridRows(ctx: ConnectorContext, params: SheetParams): Promise<number> {
  const meta = await ctx.client.json<{ sheets?: Array<{ properties?: { title?: string; gridProperties?: { rowCount?: number } } }> }>({
    method: 'GET', path: spreadsheetPath(params.spreadsheetId), query: { fields: 'sheets.properties' }, signal: ctx.signal,
  });
  const sheet = meta.sheets?.find((s) => s.properties?.title === params.sheet);
  if (!sheet) throw new Error(`google rows: spreadsheet ${params.spreadsheetId} has no sheet named ${params.sheet}`);
  return sheet.properties?.gridProperties?.rowCount ?? 1000;
}

/** Several ranges in one read request (quota is per request, not per range). */
export async function batchGet(ctx: ConnectorContext, params: SheetParams, ranges: string[]): Promise<ValueRange[]> {
  const res = await ctx.client.json<{ valueRanges?: ValueRange[] }>({
    method: 'GET',
    path: spreadsheetPath(params.spreadsheetId, '/values:batchGet'),
    query: { ranges, valueRenderOption: 'UNFORMATTED_VALUE', majorDimension: 'ROWS' },
    signal: ctx.signal,
  });
  return res.valueRanges ?? [];
}

export interface KeyIndex {
  fields: Array<string | undefined>;
  /** Key → row number (first occurrence wins when keys repeat). */
  rows: Map<string, number>;
  /** The last row holding a key (appends land after the table anyway). */
  lastRow: number;
}

/** The header and, with a key column, where each key lives: two ranges, one request. */
export async function readKeyIndex(ctx: ConnectorContext, params: SheetParams): Promise<KeyIndex> {
  const header = rowsRange(params.sheet, 1, 1);
  if (!params.keyColumn) {
    const [h] = await batchGet(ctx, params, [header]);
    return { fields: fieldNames(h?.values?.[0]), rows: new Map(), lastRow: 1 };
  }
  const [h] = await batchGet(ctx, params, [header]);
  const fields = fieldNames(h?.values?.[0]);
  const col = fields.indexOf(params.keyColumn);
  const rows = new Map<string, number>();
  if (col < 0) return { fields, rows, lastRow: 1 };
  const [keys] = await batchGet(ctx, params, [columnFrom(params.sheet, col, 2)]);
  let lastRow = 1;
  (keys?.values ?? []).forEach((r, i) => {
    const v = r[0];
    if (v === undefined || v === '') return;
    const key = String(v);
    if (!rows.has(key)) rows.set(key, i + 2);
    lastRow = i + 2;
  });
  return { fields, rows, lastRow };
}
