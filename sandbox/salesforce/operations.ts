import { fail, notFound, sfError, type SfResult } from './errors.ts';
import { to18, makeId } from './ids.ts';
import { present, validateWrite } from './records.ts';
import { fieldDef, objectDef, type ObjectDef } from './schema.ts';
import { runSoql } from './soql-eval.ts';
import type { Rec } from './store.ts';
import type { SfCtx } from './state.ts';

/**
 * The REST resources as plain functions returning status + body, so the
 * HTTP routes, composite subrequests and collections all share one code path.
 */
const MAX_CURSORS = 500;

function resolve(type: string): ObjectDef | SfResult {
  return objectDef(type) ?? notFound();
}

const isResult = (x: unknown): x is SfResult => typeof x === 'object' && x !== null && 'status' in x;

function live(ctx: SfCtx, obj: ObjectDef, id: string): Rec | SfResult {
  const full = to18(id);
  const rec = full ? ctx.state.store.get(obj.name, full) : undefined;
  if (!rec) return notFound();
  if (rec.IsDeleted === true) return fail(404, sfError('ENTITY_IS_DELETED', 'entity is deleted'));
  return rec;
}

export function createRecord(ctx: SfCtx, type: string, body: unknown): SfResult {
  const obj = resolve(type);
  if (isResult(obj)) return obj;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(400, sfError('JSON_PARSER_ERROR', 'Cannot deserialize instance of the request body'));
  const v = validateWrite(obj, body as Rec, 'create');
  if ('errorCode' in v) return fail(400, v);
  const rec = ctx.state.store.insert(obj, v.values);
  return { status: 201, body: { id: rec.Id, success: true, errors: [] } };
}

export function getRecord(ctx: SfCtx, base: string, type: string, id: string, fieldsParam?: string): SfResult {
  const obj = resolve(type);
  if (isResult(obj)) return obj;
  const full = to18(id);
  const rec = full ? ctx.state.store.get(obj.name, full) : undefined;
  if (!rec || rec.IsDeleted === true) return notFound();
  let fields: string[] | undefined;
  if (fieldsParam) {
    fields = [];
    for (const name of fieldsParam.split(',').map((s) => s.trim()).filter(Boolean)) {
      const fd = fieldDef(obj, name);
      if (!fd) return fail(400, sfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${obj.name}`));
      fields.push(fd.name);
    }
  }
  return { status: 200, body: present(obj, rec, base, fields) };
}

export function updateRecord(ctx: SfCtx, type: string, id: string, body: unknown): SfResult {
  const obj = resolve(type);
  if (isResult(obj)) return obj;
  const rec = live(ctx, obj, id);
  if (isResult(rec)) return rec;
  const v = validateWrite(obj, (body ?? {}) as Rec, 'update');
  if ('errorCode' in v) return fail(400, v);
  ctx.state.store.update(obj, rec, v.values);
  return { status: 204 };
}

export function deleteRecord(ctx: SfCtx, type: string, id: string): SfResult {
  const obj = resolve(type);
  if (isResult(obj)) return obj;
  const rec = live(ctx, obj, id);
  if (isResult(rec)) return rec;
  ctx.state.store.softDelete(obj, rec);
  return { status: 204 };
}

/** PATCH /sobjects/{Type}/{ExtIdField}/{value}: 201 on insert; 200 with a body from v46, 204 before. */
export function upsertRecord(ctx: SfCtx, version: number, type: string, extField: string, value: string, body: unknown): SfResult {
  const obj = resolve(type);
  if (isResult(obj)) return obj;
  const fd = fieldDef(obj, extField);
  if (!fd || (!fd.externalId && fd.name !== 'Id')) return fail(404, sfError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${extField}`));
  const input = { ...((body ?? {}) as Rec) };
  const matchesOf = [...ctx.state.store.table(obj.name).values()].filter((r) => r.IsDeleted !== true && String(r[fd.name]) === value);
  if (matchesOf.length > 1) return { status: 300, body: matchesOf.map((r) => `/services/data/v${version.toFixed(1)}/sobjects/${obj.name}/${String(r.Id)}`) };
  const existing = matchesOf[0];
  if (existing) {
    const v = validateWrite(obj, input, 'update');
    if ('errorCode' in v) return fail(400, v);
    ctx.state.store.update(obj, existing, v.values);
    return version >= 46 ? { status: 200, body: { id: existing.Id, success: true, errors: [], created: false } } : { status: 204 };
  }
  if (fd.name !== 'Id') input[fd.name] = value;
  const v = validateWrite(obj, input, 'create');
  if ('errorCode' in v) return fail(400, v);
  const rec = ctx.state.store.insert(obj, v.values);
  return { status: 201, body: { id: rec.Id, success: true, errors: [], created: true } };
}

export function query(ctx: SfCtx, base: string, soql: string | undefined, all: boolean, batchSize: number): SfResult {
  if (!soql) return fail(400, sfError('MALFORMED_QUERY', 'A query string has to be specified'));
  const run = runSoql(ctx.state.store, soql, all);
  if ('errorCode' in run) return fail(400, run);
  if (run.count) return { status: 200, body: { totalSize: run.totalSize, done: true, records: [] } };
  const locator = makeId('01g', (ctx.state.serial += 1));
  ctx.state.cursors.set(locator, { obj: run.obj, fields: run.fields, rows: run.rows, batchSize });
  if (ctx.state.cursors.size > MAX_CURSORS) ctx.state.cursors.delete(ctx.state.cursors.keys().next().value!);
  return page(base, locator, 0, ctx);
}

export function queryMore(ctx: SfCtx, base: string, locatorParam: string): SfResult {
  const m = /^([A-Za-z0-9]+)-(\d+)$/.exec(locatorParam);
  const cursor = m ? ctx.state.cursors.get(m[1]!) : undefined;
  if (!m || !cursor) return fail(400, sfError('INVALID_QUERY_LOCATOR', 'invalid query locator'));
  return page(base, m[1]!, Number(m[2]), ctx);
}

function page(base: string, locator: string, offset: number, ctx: SfCtx): SfResult {
  const cursor = ctx.state.cursors.get(locator)!;
  const slice = cursor.rows.slice(offset, offset + cursor.batchSize);
  const next = offset + slice.length;
  const done = next >= cursor.rows.length;
  if (done) ctx.state.cursors.delete(locator);
  const body: Rec = { totalSize: cursor.rows.length, done };
  if (!done) body.nextRecordsUrl = `${base}/query/${locator}-${next}`;
  body.records = slice.map((r) => present(cursor.obj, r, base, cursor.fields));
  return { status: 200, body };
}
