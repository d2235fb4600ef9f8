import type { WebhookChange, WebhookEventInput } from '../types.ts';

/**
 * Drive push messages have no body and say only "this file changed": no
 * row, no range. So a change becomes one hint with id `*`, meaning "re-read
 * the whole sheet" (the engine's hash diff finds the rows that differ). The
 * spreadsheet id comes from X-Goog-Resource-URI (`/drive/v3/files/{id}`).
 * `sync` is the channel's opening handshake and changes nothing.
 */
export const WHOLE_SHEET = '*';

const RE_READ_STATES = new Set(['update', 'change', 'add', 'untrash']);

function fileIdOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    const m = /\/files\/([^/?]+)/.exec(new URL(uri).pathname);
    return m ? decodeURIComponent(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}

export function rowsFromWebhook(event: WebhookEventInput): WebhookChange[] {
  const state = event.type.startsWith('drive.') ? event.type.slice('drive.'.length) : event.headers['x-goog-resource-state'];
  if (!state || !RE_READ_STATES.has(state)) return [];
  const spreadsheetId = fileIdOf(event.headers['x-goog-resource-uri']);
  return [{ model: 'rows', id: WHOLE_SHEET, ...(spreadsheetId ? { params: { spreadsheetId } } : {}) }];
}
