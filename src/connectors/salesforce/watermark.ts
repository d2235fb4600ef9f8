/**
 * The incremental-read watermark. Salesforce stamps SystemModstamp to the
 * second in practice, so many records can share the newest stamp, and one
 * committed a moment later can carry it too. Reads therefore use `>=` on the
 * stamp (nothing at the boundary is lost) and the watermark carries the ids
 * already read at that exact stamp, so the next read skips just those and
 * returns only real changes. Past MAX_IDS the list is dropped and the
 * boundary records come back again; the engine's hash check skips them.
 *
 * Format: `<ISO time>` or `<ISO time>;<id>,<id>…`. A bare ISO time from a
 * caller is a valid watermark.
 */
export interface Watermark {
  time: string;
  seen: ReadonlySet<string>;
}

const MAX_IDS = 200;

export function parseWatermark(value: string | null | undefined): Watermark | null {
  if (!value) return null;
  const [time = '', ids = ''] = value.split(';', 2);
  if (Number.isNaN(Date.parse(time))) throw new Error(`salesforce: watermark ${JSON.stringify(value)} does not start with a time`);
  return { time: new Date(Date.parse(time)).toISOString(), seen: new Set(ids.split(',').filter(Boolean)) };
}

/** From the records of a read, oldest first (ORDER BY SystemModstamp). */
export function nextWatermark(previous: Watermark | null, records: Array<{ id: string; modifiedAt: number }>): string | null {
  const last = records.at(-1);
  if (!last) return previous ? formatWatermark(previous.time, [...previous.seen]) : null;
  const time = new Date(last.modifiedAt).toISOString();
  const atBoundary = records.filter((r) => r.modifiedAt === last.modifiedAt).map((r) => r.id);
  // Ids seen earlier at the same stamp are still at the boundary.
  const carried = previous && previous.time === time ? [...previous.seen] : [];
  return formatWatermark(time, [...new Set([...carried, ...atBoundary])]);
}

function formatWatermark(time: string, ids: string[]): string {
  return ids.length === 0 || ids.length > MAX_IDS ? time : `${time};${ids.join(',')}`;
}
