import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectorContext, UpsertResult } from '../types.ts';
import { csvCell, parseCsv, toCsv } from './csv.ts';

/**
 * Bulk API 2.0 ingest for large writes: create a job, upload one CSV, mark
 * it UploadComplete, poll until a terminal state, then read the successful,
 * failed and unprocessed result CSVs. Salesforce does not promise result
 * rows in input order, so each result row is matched back to its input by
 * the cells it echoes (identical rows are interchangeable, so taking them in
 * order is exact enough).
 */
export type BulkOperation = 'insert' | 'update';

interface JobInfo {
  id: string;
  state: string;
  errorMessage?: string;
}

const TERMINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

export interface BulkOptions {
  /** First poll delay; doubles up to `maxPollMs`. */
  pollMs: number;
  maxPollMs: number;
  /** Give up waiting after this long (the job keeps running at Salesforce). */
  timeoutMs: number;
}

export function bulkOptions(params: Readonly<Record<string, unknown>>): BulkOptions {
  const num = (k: string, d: number) => (typeof params[k] === 'number' && (params[k] as number) > 0 ? (params[k] as number) : d);
  return { pollMs: num('bulkPollMs', 500), maxPollMs: num('bulkMaxPollMs', 10_000), timeoutMs: num('bulkTimeoutMs', 30 * 60_000) };
}

/** `rows[i]` are the API-named fields to write (update rows carry `Id`); results line up with rows. */
export async function bulkIngest(ctx: ConnectorContext, object: string, operation: BulkOperation, rows: Record<string, unknown>[], opts: BulkOptions): Promise<UpsertResult[]> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (operation === 'update') columns.sort((a, b) => Number(b === 'Id') - Number(a === 'Id'));
  const cells = rows.map((r) => columns.map((c) => csvCell(r[c])));
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const base = '/jobs/ingest';

  const job = await ctx.client.json<JobInfo>({ method: 'POST', path: base, body: { object, operation, contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' }, ...signal });
  await ctx.client.json({ method: 'PUT', path: `${base}/${job.id}/batches`, headers: { 'Content-Type': 'text/csv' }, body: toCsv(columns, cells), ...signal });
  await ctx.client.json({ method: 'PATCH', path: `${base}/${job.id}`, body: { state: 'UploadComplete' }, idempotent: true, ...signal });
  const done = await waitForJob(ctx, `${base}/${job.id}`, opts);
  if (done.state !== 'JobComplete') {
    const error = `bulk ${operation} job ${job.id} ended ${done.state}${done.errorMessage ? `: ${done.errorMessage}` : ''}`;
    return rows.map(() => ({ ok: false, error, retryable: done.state === 'Aborted' }));
  }

  const pending = new Map<string, number[]>();
  cells.forEach((row, i) => {
    const key = row.join('\u0000');
    pending.set(key, [...(pending.get(key) ?? []), i]);
  });
  const results: UpsertResult[] = rows.map(() => ({ ok: false, error: 'bulk job reported no result for this record', retryable: true }));
  const take = (row: string[]): number | undefined => {
    const queue = pending.get(row.join('\u0000'));
    return queue?.shift();
  };
  const read = async (kind: string) => {
    const res = await ctx.client.request({ method: 'GET', path: `${base}/${job.id}/${kind}/`, headers: { Accept: 'text/csv' }, ...signal });
    ctx.client.assertOk({ method: 'GET', path: `${base}/${job.id}/${kind}/` }, res);
    const [header = [], ...lines] = parseCsv(res.text());
    return { header, lines };
  };

  const ok = await read('successfulResults');
  const okOffset = ok.header.indexOf('sf__Created') + 1;
  for (const line of ok.lines) {
    const i = take(line.slice(okOffset));
    if (i !== undefined) results[i] = { ok: true, id: line[0] ?? '', created: line[1] === 'true' };
  }
  const failed = await read('failedResults');
  const failedOffset = failed.header.indexOf('sf__Error') + 1;
  for (const line of failed.lines) {
    const i = take(line.slice(failedOffset));
    if (i !== undefined) results[i] = { ok: false, error: line[1] ?? 'failed', retryable: /UNABLE_TO_LOCK_ROW/.test(line[1] ?? '') };
  }
  const unprocessed = await read('unprocessedrecords');
  for (const line of unprocessed.lines) {
    const i = take(line);
    if (i !== undefined) results[i] = { ok: false, error: 'not processed by the bulk job', retryable: true };
  }
  return results;
}

async function waitForJob(ctx: ConnectorContext, path: string, opts: BulkOptions): Promise<JobInfo> {
  const deadline = Date.now() + opts.timeoutMs;
  let delay = opts.pollMs;
  for (;;) {
    const info = await ctx.client.json<JobInfo>({ method: 'GET', path, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (TERMINAL.has(info.state)) return info;
    if (Date.now() + delay > deadline) throw new Error(`salesforce: bulk job ${info.id} still ${info.state} after ${opts.timeoutMs} ms`);
    await sleep(delay, undefined, ctx.signal ? { signal: ctx.signal } : {});
    delay = Math.min(opts.maxPollMs, delay * 2);
  }
}
