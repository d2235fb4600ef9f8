/**
 * Where a HubSpot read stands between pages, as an opaque cursor. A full
 * read walks the list endpoint; an incremental read walks search windows
 * (`lo` = lower bound on the last-modified time, `tie` = the rare case where
 * one millisecond holds more than search's 10,000-result cap), then the
 * recycle bin for deleted ids. `start` is when the read began (our clock)
 * and `since` the caller's watermark, both in epoch ms.
 */
export type ReadState =
  | { m: 'full'; start: number; after?: string }
  | { m: 'search'; start: number; since: number; lo: number; after?: number; tie?: { at: number; afterId: string }; maxSeen?: number }
  | { m: 'archived'; start: number; since: number; after?: string; maxSeen?: number };

export function encodeCursor(state: ReadState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): ReadState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (err) {
    throw new Error('hubspot: malformed list cursor', { cause: err });
  }
  const m = (parsed as { m?: unknown } | null)?.m;
  if (m !== 'full' && m !== 'search' && m !== 'archived') throw new Error('hubspot: malformed list cursor');
  return parsed as ReadState;
}

/** A watermark given as an ISO time or epoch ms. */
export function parseSince(since: string): number {
  const ms = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
  if (!Number.isFinite(ms)) throw new Error(`hubspot: watermark ${JSON.stringify(since)} is neither an ISO time nor epoch ms`);
  return ms;
}
