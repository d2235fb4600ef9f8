/**
 * A1 notation for the ranges this connector asks for. Sheet titles are
 * always quoted so a title with spaces, `!` or a leading digit is still one
 * name; a quote inside a title is doubled, as Sheets expects.
 */

export function quoteSheet(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Whole rows `first` to `last` (1-based, inclusive). */
export function rowsRange(sheet: string, first: number, last: number): string {
  return `${quoteSheet(sheet)}!${first}:${last}`;
}

/** One column from `fromRow` down to the end of the grid. */
export function columnFrom(sheet: string, column: number, fromRow: number): string {
  const c = columnLetter(column);
  return `${quoteSheet(sheet)}!${c}${fromRow}:${c}`;
}

/** The cells of one row starting at column A, as wide as `width`. */
export function rowCells(sheet: string, row: number, width: number): string {
  return `${quoteSheet(sheet)}!A${row}:${columnLetter(Math.max(0, width - 1))}${row}`;
}

/** The first row number of a response range such as `Sheet1!A4:D6` or `'My Sheet'!A4`. */
export function firstRowOf(range: string): number | undefined {
  const cells = range.slice(range.lastIndexOf('!') + 1);
  const m = /^[A-Z]*(\d+)/.exec(cells);
  return m ? Number(m[1]) : undefined;
}

/** The path segment of a values call: the range percent-encoded, so a method suffix (`:append`) stays distinguishable. */
export function valuesPath(spreadsheetId: string, range: string, suffix = ''): string {
  return `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values/${encodeURIComponent(range)}${suffix}`;
}

export function spreadsheetPath(spreadsheetId: string, suffix = ''): string {
  return `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}${suffix}`;
}

/** Columns A to the table's last column, every row: the range an append searches for the table. */
export function tableColumns(sheet: string, width: number): string {
  return `${quoteSheet(sheet)}!A:${columnLetter(Math.max(0, width - 1))}`;
}
