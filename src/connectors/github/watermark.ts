/**
 * Watermarks for reads filtered by an updated-at time. GitHub's `since` and
 * search `updated:>=` are inclusive and stamped to the second, so several
 * items share the newest stamp and one updated a moment later can carry it
 * too. Reads ask from the stamp inclusive, and the watermark carries the ids
 * already read at that stamp so the next read skips just those. Past
 * MAX_IDS the list is dropped and those items come back once more, which
 * the engine's hash check absorbs.
 *
 * Format: `<ISO time>` or `<ISO time>;<id>,<id>…`; a bare ISO time is valid.
 */
export interface Watermark {
  time: string;
  ms: number;
  seen: ReadonlySet<string>;
}

const MAX_IDS = 200;

export function parseWatermark(value: string | null | undefined): Watermark | null {
  if (!value) return null;
  const [time = '', ids = ''] = value.split(';', 2);
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`github: watermark ${JSON.stringify(value)} does not start with a time`);
  return { time: new Date(ms).toISOString().replace('.000Z', 'Z'), ms, seen: new Set(ids.split(',').filter(Boolean)) };
}

/** Whether an item at `modifiedAt` was already delivered by the read that produced `since`. */
export function alreadySeen(since: Watermark | null, id: string, modifiedAt: number): boolean {
  return since !== null && modifiedAt === since.ms && since.seen.has(id);
}

/** Folds one more item into the newest-seen mark. */
export function advance(mark: string | null | undefined, id: string, modifiedAt: number): string {
  const current = parseWatermark(mark ?? null);
  if (current && current.ms > modifiedAt) return mark!;
  const time = new Date(modifiedAt).toISOString();
  const ids = current && current.ms === modifiedAt ? [...current.seen, id] : [id];
  return ids.length > MAX_IDS ? time : `${time};${[...new Set(ids)].join(',')}`;
}

/** The watermark to hand back: the newest item seen, or the one the read started from when nothing changed. */
export function finalWatermark(mark: string | null | undefined, since: Watermark | null): string | null {
  if (!mark) return since ? since.time + (since.seen.size ? `;${[...since.seen].join(',')}` : '') : null;
  const m = parseWatermark(mark)!;
  // Ids seen at the same stamp on an earlier read are still at the boundary.
  if (since && since.ms === m.ms) {
    const ids = [...new Set([...since.seen, ...m.seen])];
    return ids.length > MAX_IDS ? new Date(m.ms).toISOString() : `${new Date(m.ms).toISOString()};${ids.join(',')}`;
  }
  return mark;
}
