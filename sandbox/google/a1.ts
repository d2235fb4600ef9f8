/**
 * A1 notation as Sheets reads it: `Sheet1!A1:D10`, `Sheet1`, `A:C`, `2:5`,
 * `A5:C` (open-ended), `'My Sheet'!B2`. Rows and columns here are 0-based;
 * an omitted bound is undefined and means "to the edge of the grid".
 */
export interface A1Range {
  sheet?: string;
  startRow?: number;
  startCol?: number;
  endRow?: number;
  endCol?: number;
}

export function colToIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function indexToCol(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const CELL = /^([A-Za-z]{0,3})(\d*)$/;

function parseCell(s: string): { col?: number; row?: number } | undefined {
  const m = CELL.exec(s);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  return { ...(m[1] ? { col: colToIndex(m[1]) } : {}), ...(m[2] ? { row: Number(m[2]) - 1 } : {}) };
}

/**
 * Returns undefined when the text is not A1 notation Sheets would accept.
 * A bare name that is also a sheet's name (`Sheet1`, `AB1`) means that
 * sheet, which is how Sheets settles the ambiguity.
 */
export function parseA1(text: string, sheetNames: string[] = []): A1Range | undefined {
  if (!text.includes('!') && sheetNames.some((n) => n.toLowerCase() === text.toLowerCase())) return { sheet: text };
  let sheet: string | undefined;
  let rest = text;
  const bang = text.lastIndexOf('!');
  if (bang >= 0) {
    sheet = text.slice(0, bang);
    rest = text.slice(bang + 1);
    if (sheet.startsWith("'") && sheet.endsWith("'") && sheet.length >= 2) sheet = sheet.slice(1, -1).replace(/''/g, "'");
    if (sheet === '') return undefined;
  }
  if (rest === '') return sheet === undefined ? undefined : { sheet };
  const [a, b, extra] = rest.split(':');
  if (extra !== undefined) return undefined;
  const start = parseCell(a ?? '');
  if (!start) {
    // No cell part at all: the whole text is a sheet name.
    return bang < 0 && b === undefined ? { sheet: text } : undefined;
  }
  const end = b === undefined ? start : parseCell(b);
  if (!end) return undefined;
  if (b === undefined && (start.row === undefined || start.col === undefined)) return bang < 0 ? { sheet: text } : undefined;
  return {
    ...(sheet !== undefined ? { sheet } : {}),
    ...(start.row !== undefined ? { startRow: start.row } : {}),
    ...(start.col !== undefined ? { startCol: start.col } : {}),
    ...(end.row !== undefined ? { endRow: end.row } : {}),
    ...(end.col !== undefined ? { endCol: end.col } : {}),
  };
}

/** Sheet names are quoted when they are not plain words, as Sheets writes them back. */
export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Formats a fully bounded range: `Sheet1!A1:D10`, or `Sheet1!B2` for one cell. */
export function formatA1(sheet: string, startRow: number, startCol: number, endRow: number, endCol: number): string {
  const a = `${indexToCol(startCol)}${startRow + 1}`;
  const b = `${indexToCol(endCol)}${endRow + 1}`;
  return `${quoteSheet(sheet)}!${a === b ? a : `${a}:${b}`}`;
}
