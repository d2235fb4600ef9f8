import { formatA1, parseA1 } from './a1.ts';
import { sheetByTitle, type Cell, type Scalar, type Sheet, type Spreadsheet } from './store.ts';

/**
 * Reading and writing cell values the way spreadsheets.values does:
 * render options, row/column major order, trailing-empty trimming, RAW vs
 * USER_ENTERED parsing, and the "find the table, write after it" rule of append.
 */
export interface Bounds {
  sheet: Sheet;
  r0: number;
  c0: number;
  r1: number;
  c1: number;
  /** True when the text named a single cell: then it only anchors a write. */
  anchor: boolean;
}

export type RenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type Major = 'ROWS' | 'COLUMNS';

export class RangeError400 extends Error {}

export const gridLimitMessage = (text: string, sh: Sheet) =>
  `Range (${text}) exceeds grid limits. Max rows: ${sh.rowCount}, max columns: ${sh.columnCount}`;

export function resolve(ss: Spreadsheet, text: string): Bounds {
  const a1 = parseA1(text, ss.sheets.map((s) => s.title));
  const sheet = a1 ? sheetByTitle(ss, a1.sheet) : undefined;
  if (!a1 || !sheet) throw new RangeError400(`Unable to parse range: ${text}`);
  const b: Bounds = {
    sheet,
    r0: a1.startRow ?? 0,
    c0: a1.startCol ?? 0,
    r1: a1.endRow ?? sheet.rowCount - 1,
    c1: a1.endCol ?? sheet.columnCount - 1,
    anchor: a1.startRow !== undefined && a1.startCol !== undefined && a1.startRow === a1.endRow && a1.startCol === a1.endCol,
  };
  if (b.r0 > b.r1) [b.r0, b.r1] = [b.r1, b.r0];
  if (b.c0 > b.c1) [b.c0, b.c1] = [b.c1, b.c0];
  if (b.r1 >= sheet.rowCount || b.c1 >= sheet.columnCount) throw new RangeError400(gridLimitMessage(text, sheet));
  return b;
}

export const boundsA1 = (b: Bounds) => formatA1(b.sheet.title, b.r0, b.c0, b.r1, b.c1);

function render(cell: Cell | undefined, option: RenderOption): Scalar {
  if (!cell) return '';
  if (option === 'FORMULA' && cell.formula) return cell.formula;
  if (option === 'FORMATTED_VALUE') {
    if (typeof cell.value === 'boolean') return cell.value ? 'TRUE' : 'FALSE';
    return String(cell.value);
  }
  return cell.value;
}

function trimEnd(list: Scalar[]): Scalar[] {
  let n = list.length;
  while (n > 0 && list[n - 1] === '') n -= 1;
  return list.slice(0, n);
}

/** The grid slice as a ValueRange's `values`; Sheets omits trailing empty cells and rows. */
export function readValues(b: Bounds, major: Major, option: RenderOption, trim: boolean): Scalar[][] {
  const outer = major === 'ROWS' ? [b.r0, b.r1] : [b.c0, b.c1];
  const inner = major === 'ROWS' ? [b.c0, b.c1] : [b.r0, b.r1];
  const lastRow = Math.min(b.r1, b.sheet.rows.length - 1);
  const out: Scalar[][] = [];
  for (let o = outer[0]!; o <= outer[1]!; o += 1) {
    if (trim && major === 'ROWS' && o > lastRow) break;
    const line: Scalar[] = [];
    for (let i = inner[0]!; i <= inner[1]!; i += 1) {
      if (trim && major === 'COLUMNS' && i > lastRow) break;
      const [r, c] = major === 'ROWS' ? [o, i] : [i, o];
      line.push(render(b.sheet.rows[r]?.[c], option));
    }
    out.push(trim ? trimEnd(line) : line);
  }
  if (!trim) return out;
  let n = out.length;
  while (n > 0 && out[n - 1]!.length === 0) n -= 1;
  return out.slice(0, n);
}

function evaluate(sheet: Sheet, formula: string): Scalar {
  const ref = (a1: string) => {
    const p = parseA1(a1);
    return p?.startRow !== undefined && p.startCol !== undefined ? sheet.rows[p.startRow]?.[p.startCol]?.value : undefined;
  };
  const sum = /^=SUM\(([A-Z]+\d+):([A-Z]+\d+)\)$/i.exec(formula);
  if (sum) {
    const p = parseA1(`${sum[1]}:${sum[2]}`)!;
    let total = 0;
    for (let r = p.startRow!; r <= p.endRow!; r += 1) for (let c = p.startCol!; c <= p.endCol!; c += 1) {
      const v = sheet.rows[r]?.[c]?.value;
      if (typeof v === 'number') total += v;
    }
    return total;
  }
  const single = /^=([A-Z]+\d+)$/i.exec(formula);
  if (single) return ref(single[1]!) ?? '';
  return '#NAME?';
}

/** RAW stores what was sent; USER_ENTERED parses it as if typed into the UI. */
export function parseInput(sheet: Sheet, v: unknown, input: 'RAW' | 'USER_ENTERED'): Cell | undefined {
  if (v === '' ) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return { value: v };
  const s = String(v);
  if (input === 'RAW') return { value: s };
  if (s.startsWith("'")) return { value: s.slice(1) };
  if (s.startsWith('=')) return { value: evaluate(sheet, s), formula: s };
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s.trim())) return { value: Number(s) };
  if (/^(true|false)$/i.test(s.trim())) return { value: s.trim().toUpperCase() === 'TRUE' };
  return { value: s };
}

export interface WriteResult {
  updatedRange: string;
  updatedRows: number;
  updatedColumns: number;
  updatedCells: number;
}

/** Writes `values` with its top-left at (r0, c0); a null entry leaves its cell unchanged. */
export function writeValues(sheet: Sheet, r0: number, c0: number, values: unknown[][], major: Major, input: 'RAW' | 'USER_ENTERED'): WriteResult {
  const grid = major === 'ROWS' ? values : transpose(values);
  let cells = 0;
  let width = 0;
  grid.forEach((row, i) => {
    width = Math.max(width, row.length);
    const r = r0 + i;
    while (sheet.rows.length <= r) sheet.rows.push([]);
    row.forEach((v, j) => {
      if (v === null || v === undefined) return;
      sheet.rows[r]![c0 + j] = parseInput(sheet, v, input);
      cells += 1;
    });
  });
  const height = grid.length;
  return {
    updatedRange: formatA1(sheet.title, r0, c0, r0 + Math.max(height, 1) - 1, c0 + Math.max(width, 1) - 1),
    updatedRows: height, updatedColumns: width, updatedCells: cells,
  };
}

export function transpose(values: unknown[][]): unknown[][] {
  const width = Math.max(0, ...values.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => values.map((r) => r[c] ?? null));
}

/** Finds the table inside the bounds: the rows from the first to the last with any data in its columns. */
export function findTable(b: Bounds): { first: number; last: number; lastCol: number } | undefined {
  let first = -1;
  let last = -1;
  let lastCol = b.c0;
  for (let r = b.r0; r <= Math.min(b.r1, b.sheet.rows.length - 1); r += 1) {
    const row = b.sheet.rows[r] ?? [];
    for (let c = b.c0; c <= b.c1; c += 1) {
      if (row[c] === undefined) continue;
      if (first < 0) first = r;
      last = r;
      lastCol = Math.max(lastCol, c);
    }
  }
  return first < 0 ? undefined : { first, last, lastCol };
}

export function insertRows(sheet: Sheet, at: number, count: number): void {
  while (sheet.rows.length < at) sheet.rows.push([]);
  sheet.rows.splice(at, 0, ...Array.from({ length: count }, () => []));
  sheet.rowCount += count;
}

export function clearValues(b: Bounds): void {
  for (let r = b.r0; r <= Math.min(b.r1, b.sheet.rows.length - 1); r += 1) {
    const row = b.sheet.rows[r]!;
    for (let c = b.c0; c <= b.c1 && c < row.length; c += 1) row[c] = undefined;
  }
}
