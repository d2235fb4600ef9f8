import { parseCsv, DELIMITERS } from './csv.ts';
import type { IngestJob } from './bulk-jobs.ts';
import type { SfError, SfResult } from './errors.ts';
import { to18 } from './ids.ts';
import { createRecord, deleteRecord, updateRecord, upsertRecord } from './operations.ts';
import { fieldDef, objectDef } from './schema.ts';
import { sfDateTime } from './store.ts';
import type { SfCtx } from './state.ts';

/**
 * Runs an ingest job's uploaded CSV row by row through the same record
 * operations as the REST API. `#N/A` sets a field to null; an empty cell
 * leaves it alone, as the Bulk API documents.
 */
export function scheduleIngest(ctx: SfCtx, job: IngestJob): void {
  const delay = ctx.knobs.bulkProcessingMs;
  setTimeout(() => {
    if (job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    setTimeout(() => {
      if (job.state === 'InProgress') processIngest(ctx, job);
    }, delay);
  }, delay);
}

export function processIngest(ctx: SfCtx, job: IngestJob): void {
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const rows: string[][] = [];
  let header: string[] | undefined;
  for (const upload of job.uploads) {
    const parsed = parseCsv(upload, delimiter);
    const [h, ...rest] = parsed;
    if (!h) continue;
    header ??= h;
    rows.push(...rest);
  }
  const obj = objectDef(job.object)!;
  const unknown = (header ?? []).find((name) => !fieldDef(obj, name));
  if (!header || unknown) {
    finish(job, 'Failed', unknown ? `InvalidBatch : Field name not found : ${unknown}` : 'InvalidBatch : Failed to parse CSV header');
    return;
  }
  job.header = header;
  const store = ctx.state.store;
  store.begin();
  for (const row of rows) {
    const values: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const cell = row[i] ?? '';
      if (cell === '') return;
      values[fieldDef(obj, name)!.name] = cell === '#N/A' ? null : cell;
    });
    const r = applyRow(ctx, job, values);
    job.numberRecordsProcessed += 1;
    const body = r.body as { id?: string; created?: boolean } | SfError[] | undefined;
    if (r.status < 400) {
      const id = (body as { id?: string } | undefined)?.id ?? to18(String(values.Id ?? '')) ?? '';
      const created = job.operation === 'insert' || (body as { created?: boolean } | undefined)?.created === true;
      job.successful.push([id, String(created), ...row]);
    } else {
      const e = (body as SfError[])[0]!;
      job.numberRecordsFailed += 1;
      job.failed.push([String(values.Id ?? ''), `${e.errorCode}:${e.message}:${(e.fields ?? []).join(',')} --`, ...row]);
    }
  }
  store.commit();
  finish(job, 'JobComplete');
}

function applyRow(ctx: SfCtx, job: IngestJob, values: Record<string, unknown>): SfResult {
  const { Id, ...rest } = values;
  const id = typeof Id === 'string' ? Id : '';
  switch (job.operation) {
    case 'insert': return createRecord(ctx, job.object, values);
    case 'update': return updateRecord(ctx, job.object, id, rest);
    case 'upsert': {
      const ext = fieldDef(objectDef(job.object)!, job.externalIdFieldName ?? 'Id')!.name;
      const key = String(values[ext] ?? '');
      const { [ext]: _drop, ...fields } = values;
      return upsertRecord(ctx, job.apiVersion, job.object, ext, key, ext === 'Id' ? rest : fields);
    }
    case 'delete': return deleteRecord(ctx, job.object, id);
    case 'hardDelete': {
      const r = deleteRecord(ctx, job.object, id);
      const full = to18(id);
      if (r.status < 400 && full) ctx.state.store.table(job.object).delete(full);
      return r;
    }
  }
}

function finish(job: IngestJob, state: 'JobComplete' | 'Failed', errorMessage?: string): void {
  job.state = state;
  job.finishedAt = Date.now();
  job.systemModstamp = sfDateTime(job.finishedAt);
  if (errorMessage) job.errorMessage = errorMessage;
}
