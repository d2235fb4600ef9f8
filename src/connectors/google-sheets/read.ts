import type { ChangePage, ConnectorContext, ListOptions, RecordChange } from '../types.ts';
import { rowsRange } from './a1.ts';
import { batchGet, fieldNames, gridRows, isBlank, readKeyIndex, rowId, sheetParams, toRecord } from './table.ts';

/**
 * Reads are full reads: Sheets has no "changed since" on values, so the
 * engine diffs by hash. Pages are row windows; each page re-reads the header
 * in the same request so a page never mixes two header versions silently.
 * The cursor carries the next row and the grid height, because asking for
 * rows past the grid is a 400.
 */

const DEFAULT_PAGE_ROWS = 1000;
const MAX_PAGE_ROWS = 10_000;

function parseCursor(cursor: string): { next: number; rowCount: number } {
  const [next, rowCount] = cursor.split(':').map(Number);
  if (!Number.isInteger(next) || !Number.isInteger(rowCount)) throw new Error(`google rows: bad cursor ${cursor}`);
  return { next: next!, rowCount: rowCount! };
}

export async function listRows(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage> {
  const params = sheetParams(ctx);
  const size = Math.min(MAX_PAGE_ROWS, Math.max(1, opts.pageSize ?? DEFAULT_PAGE_ROWS));
  const { next, rowCount } = opts.cursor ? parseCursor(opts.cursor) : { next: 2, rowCount: await gridRows(ctx, params) };
  if (next > rowCount) return { records: [], deletedIds: [], nextCursor: null, watermark: null };
  const last = Math.min(rowCount, next + size - 1);
  const [header, data] = await batchGet(ctx, params, [rowsRange(params.sheet, 1, 1), rowsRange(params.sheet, next, last)]);
  const fields = fieldNames(header?.values?.[0]);
  const readAt = Date.now();
  const records: RecordChange[] = [];
  (data?.values ?? []).forEach((row, i) => {
    if (isBlank(row)) return;
    const rowNumber = next + i;
    const id = rowId(params, fields, row, rowNumber);
    if (id === undefined) return;
    records.push({ id, record: toRecord(fields, row, rowNumber, id), modifiedAt: readAt });
  });
  const done = last >= rowCount;
  return { records, deletedIds: [], nextCursor: done ? null : `${last + 1}:${rowCount}`, ...(done ? { watermark: null } : {}) };
}

export async function getRow(ctx: ConnectorContext, id: string): Promise<RecordChange | undefined> {
  const params = sheetParams(ctx);
  let rowNumber: number | undefined;
  if (params.keyColumn) {
    rowNumber = (await readKeyIndex(ctx, params)).rows.get(id);
  } else if (/^\d+$/.test(id) && Number(id) >= 2) {
    rowNumber = Number(id);
    if (rowNumber > (await gridRows(ctx, params))) return undefined;
  }
  if (rowNumber === undefined) return undefined;
  const [header, data] = await batchGet(ctx, params, [rowsRange(params.sheet, 1, 1), rowsRange(params.sheet, rowNumber, rowNumber)]);
  const row = data?.values?.[0];
  if (isBlank(row)) return undefined;
  const fields = fieldNames(header?.values?.[0]);
  const found = rowId(params, fields, row!, rowNumber);
  if (found !== id) return undefined;
  return { id, record: toRecord(fields, row!, rowNumber, id), modifiedAt: Date.now() };
}
