import { generateKeyPairSync } from 'node:crypto';
import type { FakeContext } from '../core/server.ts';
import type { GoogleKnobs } from './knobs.ts';
import { addSpreadsheet, createGoogleState, type GoogleState, type Scalar } from './store.ts';

/**
 * A fresh fake holds one spreadsheet and one service account whose private
 * key `credentials()` hands out. Seeding adds spreadsheets, service accounts
 * or generated rows: `{ generate: { rows: 10000, spreadsheetId? } }`.
 */
type Ctx = FakeContext<GoogleState, GoogleKnobs>;

export const DEFAULT_SHEET_ID = '1sandboxSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123';
export const SERVICE_ACCOUNT = 'switchyard@sandbox-project.iam.gserviceaccount.com';

const privateKeys = new WeakMap<GoogleState, string>();
export const serviceAccountKey = (s: GoogleState) => privateKeys.get(s) ?? '';

export function initialState(): GoogleState {
  const s = createGoogleState();
  addSpreadsheet(s, DEFAULT_SHEET_ID, 'Sandbox requests', [{
    title: 'Sheet1',
    rows: [['Name', 'Email', 'Amount', 'Status'], ['Ada', 'ada@example.com', 120, 'open'], ['Grace', 'grace@example.com', 80, 'closed']],
  }]);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  s.serviceAccounts.set(SERVICE_ACCOUNT, { email: SERVICE_ACCOUNT, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  privateKeys.set(s, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return s;
}

/** Keeps the printed service-account key valid across /_sandbox/reset. */
export function keepServiceAccountKey(previous: GoogleState, next: GoogleState): void {
  const key = privateKeys.get(previous);
  const account = previous.serviceAccounts.get(SERVICE_ACCOUNT);
  if (!key || !account) return;
  privateKeys.set(next, key);
  next.serviceAccounts.set(SERVICE_ACCOUNT, account);
}

interface Fixture {
  spreadsheets?: Array<{ id: string; title?: string; sheets: Array<{ title: string; rows?: Scalar[][]; rowCount?: number; columnCount?: number }> }>;
  serviceAccounts?: Array<{ email: string; publicKeyPem: string }>;
  generate?: { rows?: number; spreadsheetId?: string };
}

export function seedGoogle(ctx: Ctx, spec: unknown): void {
  const f = (spec ?? {}) as Fixture;
  for (const ss of f.spreadsheets ?? []) addSpreadsheet(ctx.state, ss.id, ss.title ?? ss.id, ss.sheets);
  for (const sa of f.serviceAccounts ?? []) ctx.state.serviceAccounts.set(sa.email, sa);
  const n = f.generate?.rows ?? 0;
  if (n > 0) {
    const id = f.generate?.spreadsheetId ?? DEFAULT_SHEET_ID;
    const names = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances'];
    const rows: Scalar[][] = [['Name', 'Email', 'Amount', 'Status']];
    for (let i = 0; i < n; i += 1) {
      const name = names[Math.floor(ctx.random() * names.length)]!;
      rows.push([`${name} ${i + 1}`, `${name.toLowerCase()}${i + 1}@example.com`, Math.floor(ctx.random() * 1000), ctx.random() < 0.5 ? 'open' : 'closed']);
    }
    addSpreadsheet(ctx.state, id, ctx.state.spreadsheets.get(id)?.title ?? 'Generated', [{ title: 'Sheet1', rows, rowCount: Math.max(1000, rows.length) }]);
  }
}
