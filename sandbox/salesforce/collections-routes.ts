import type { FastifyInstance, FastifyReply } from 'fastify';
import { apiGuard } from './api-guard.ts';
import { fail, saveError, sendResult, sfError, type SfError, type SfResult } from './errors.ts';
import { to18 } from './ids.ts';
import { createRecord, deleteRecord, updateRecord } from './operations.ts';
import { present } from './records.ts';
import { fieldDef, objectByPrefix, objectDef } from './schema.ts';
import { baseOf } from './rest-routes.ts';
import type { SfCtx } from './state.ts';

/**
 * sObject Collections: create, update, delete and retrieve up to 200 records
 * per call, answering one SaveResult per record. With allOrNone every record
 * is rolled back when one fails, and the good ones say so.
 */
const MAX = 200;

type SaveResult = { id?: string | null; success: boolean; errors: ReturnType<typeof saveError>[] };

const ROLLED_BACK = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };

const tooMany = (): SfResult => fail(400, sfError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX} records into this call`));

export function registerCollectionsRoutes(app: FastifyInstance, ctx: SfCtx): void {
  const pre = { preHandler: apiGuard(ctx) };
  const url = '/services/data/:ver/composite/sobjects';

  app.post(url, pre, async (req, reply) => {
    const b = (req.body ?? {}) as { allOrNone?: boolean; records?: Record<string, unknown>[] };
    return saveAll(ctx, reply, b.records, b.allOrNone === true, (rec) => {
      const type = (rec.attributes as { type?: string } | undefined)?.type;
      if (!type) return { status: 400, body: [sfError('INVALID_TYPE', 'Must send a concrete entity type.')] };
      return createRecord(ctx, type, rec);
    });
  });

  app.patch(url, pre, async (req, reply) => {
    const b = (req.body ?? {}) as { allOrNone?: boolean; records?: Record<string, unknown>[] };
    return saveAll(ctx, reply, b.records, b.allOrNone === true, (rec) => {
      const type = (rec.attributes as { type?: string } | undefined)?.type;
      const id = (rec.id ?? rec.Id) as string | undefined;
      if (!type) return { status: 400, body: [sfError('INVALID_TYPE', 'Must send a concrete entity type.')] };
      if (!id) return { status: 400, body: [sfError('MISSING_ARGUMENT', 'Id not specified in an update call')] };
      const { id: _i, Id: _I, ...fields } = rec;
      return withId(updateRecord(ctx, type, id, fields), id);
    });
  });

  app.delete(url, pre, async (req, reply) => {
    const q = req.query as { ids?: string; allOrNone?: string };
    const ids = (q.ids ?? '').split(',').filter(Boolean);
    return saveAll(ctx, reply, ids.map((id) => ({ id })), q.allOrNone === 'true', (rec) => {
      const id = String(rec.id);
      const obj = objectByPrefix(id);
      if (!obj) return { status: 404, body: [sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')] };
      return withId(deleteRecord(ctx, obj.name, id), id);
    });
  });

  const retrieve = async (reply: FastifyReply, base: string, type: string, ids: string[], fieldNames: string[]) => {
    const obj = objectDef(type);
    if (!obj) return sendResult(reply, fail(404, sfError('NOT_FOUND', 'The requested resource does not exist')));
    if (ids.length > 2000) return sendResult(reply, tooMany());
    const fields: string[] = [];
    for (const n of fieldNames) {
      const fd = fieldDef(obj, n);
      if (!fd) return sendResult(reply, fail(400, sfError('INVALID_FIELD', `No such column '${n}' on sobject of type ${obj.name}`)));
      fields.push(fd.name);
    }
    return ids.map((id) => {
      const full = to18(id);
      const rec = full ? ctx.state.store.get(obj.name, full) : undefined;
      return rec && rec.IsDeleted !== true ? present(obj, rec, base, fields) : null;
    });
  };
  app.get(`${url}/:type`, pre, async (req, reply) => {
    const q = req.query as { ids?: string; fields?: string };
    return retrieve(reply, baseOf(req), (req.params as { type: string }).type, (q.ids ?? '').split(',').filter(Boolean), (q.fields ?? '').split(',').filter(Boolean));
  });
  app.post(`${url}/:type`, pre, async (req, reply) => {
    const b = (req.body ?? {}) as { ids?: string[]; fields?: string[] };
    return retrieve(reply, baseOf(req), (req.params as { type: string }).type, b.ids ?? [], b.fields ?? []);
  });
}

function withId(r: SfResult, id: string): SfResult {
  return r.status < 400 ? { status: 200, body: { id: to18(id) ?? id, success: true, errors: [] } } : r;
}

function saveAll(ctx: SfCtx, reply: FastifyReply, records: Record<string, unknown>[] | undefined, allOrNone: boolean, op: (rec: Record<string, unknown>) => SfResult): FastifyReply | SaveResult[] {
  if (!Array.isArray(records)) return sendResult(reply, fail(400, sfError('JSON_PARSER_ERROR', 'records is required')));
  if (records.length > MAX) return sendResult(reply, tooMany());
  const store = ctx.state.store;
  store.begin();
  const results: SaveResult[] = records.map((rec) => {
    const r = op(rec);
    if (r.status < 400) {
      const body = r.body as { id?: string } | undefined;
      return { id: body?.id ?? null, success: true, errors: [] };
    }
    const errs = (r.body as SfError[]).map(saveError);
    return { ...(typeof rec.id === 'string' ? { id: rec.id } : {}), success: false, errors: errs };
  });
  if (allOrNone && results.some((r) => !r.success)) {
    store.rollback();
    return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r));
  }
  store.commit();
  return results;
}
