/**
 * In-memory Sheets and Drive: spreadsheets hold sheets, sheets hold a grid
 * of cells. A cell keeps what was entered and, for USER_ENTERED input, the
 * parsed value (number, boolean, formula).
 */
export type Scalar = string | number | boolean;

export interface Cell {
  value: Scalar;
  formula?: string;
}

export interface Sheet {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  rows: Array<Array<Cell | undefined>>;
}

export interface Spreadsheet {
  id: string;
  title: string;
  sheets: Sheet[];
  modifiedTime: string;
}

export interface Channel {
  id: string;
  fileId: string;
  resourceId: string;
  address: string;
  token?: string;
  expiration: number;
  nextMessage: number;
}

export interface ServiceAccount {
  email: string;
  publicKeyPem: string;
}

export interface GoogleState {
  spreadsheets: Map<string, Spreadsheet>;
  channels: Map<string, Channel>;
  serviceAccounts: Map<string, ServiceAccount>;
  /** Authorization codes issued with access_type=offline (only those get a refresh token). */
  offlineCodes: Set<string>;
  nextSheetId: number;
}

export function createGoogleState(): GoogleState {
  return { spreadsheets: new Map(), channels: new Map(), serviceAccounts: new Map(), offlineCodes: new Set(), nextSheetId: 1 };
}

export function addSpreadsheet(s: GoogleState, id: string, title: string, sheets: Array<{ title: string; rows?: Scalar[][]; rowCount?: number; columnCount?: number }>): Spreadsheet {
  const ss: Spreadsheet = {
    id, title, modifiedTime: new Date().toISOString(),
    sheets: sheets.map((sh, i) => ({
      sheetId: i === 0 ? 0 : s.nextSheetId++ * 1000 + i,
      title: sh.title,
      rowCount: Math.max(sh.rowCount ?? 1000, sh.rows?.length ?? 0),
      columnCount: Math.max(sh.columnCount ?? 26, ...(sh.rows ?? []).map((r) => r.length)),
      rows: (sh.rows ?? []).map((r) => r.map((v) => (v === '' ? undefined : { value: v }))),
    })),
  };
  s.spreadsheets.set(id, ss);
  return ss;
}

export function sheetByTitle(ss: Spreadsheet, title: string | undefined): Sheet | undefined {
  if (title === undefined) return ss.sheets[0];
  return ss.sheets.find((sh) => sh.title.toLowerCase() === title.toLowerCase());
}
