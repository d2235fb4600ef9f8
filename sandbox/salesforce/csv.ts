/**
 * RFC 4180 CSV as Bulk API 2.0 speaks it: a header row, any of Salesforce's
 * six column delimiters, LF or CRLF line endings, double-quote escaping.
 */
export const DELIMITERS: Record<string, string> = { COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`' };

export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else cell += ch;
    i += 1;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const quote = (v: string): string => `"${v.replace(/"/g, '""')}"`;

/** Every non-null value quoted, nulls left empty: how Salesforce writes result files. */
export function toCsv(header: string[], rows: unknown[][], delimiter = ',', eol = '\n'): string {
  const line = (cells: unknown[]) => cells.map((c) => (c === null || c === undefined ? '' : quote(String(c)))).join(delimiter);
  return [line(header), ...rows.map(line)].join(eol) + eol;
}
