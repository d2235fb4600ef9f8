import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { apiGuard, MIN_VERSION, versionOf } from './api-guard.ts';
import { fail, notFound, sendResult, sfError, type SfResult } from './errors.ts';
import { createRecord, deleteRecord, getRecord, query, queryMore, updateRecord, upsertRecord } from './operations.ts';
import { describe, globalEntry, objectDef, OBJECTS } from './schema.ts';
import { apiBase, type SfCtx } from './state.ts';

/** Version list, resources, describe, sObject CRUD, query/queryAll and /limits. */
const SEASONS = ['Winter', 'Spring', 'Summer'];

/** v50.0 was Winter '21; three releases a year before and after it. */
export function versionLabel(v: number): string {
  const i = v - 50;
  return `${SEASONS[((i % 3) + 3) % 3]} '${21 + Math.floor(i / 3)}`;
}

type Params = Record<string, string>;

export function baseOf(req: FastifyRequest): string {
  return apiBase(versionOf(req).toFixed(1));
}

export function registerRestRoutes(app: FastifyInstance, ctx: SfCtx): void {
  const guard = apiGuard(ctx);
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, handler: RouteHandlerMethod): void => {
    app.route({ method, url: `/services/data/:ver${path}`, preHandler: guard, handler });
  };
  const reply = (r: FastifyReply, result: SfResult): FastifyReply => sendResult(r, result);

  const versions = async () => {
    const out = [];
    for (let v = MIN_VERSION; v <= ctx.knobs.latestVersion; v += 1) out.push({ label: versionLabel(v), url: apiBase(v.toFixed(1)), version: v.toFixed(1) });
    return out;
  };
  app.get('/services/data', versions);
  app.get('/services/data/', versions);

  const resources: RouteHandlerMethod = async (req) => {
    const b = baseOf(req);
    return Object.fromEntries(['sobjects', 'query', 'queryAll', 'composite', 'limits', 'jobs'].map((k) => [k, `${b}/${k}`]));
  };
  api('GET', '', resources);
  api('GET', '/', resources);

  api('GET', '/sobjects', async (req) => ({ encoding: 'UTF-8', maxBatchSize: 200, sobjects: OBJECTS.map((o) => globalEntry(o, baseOf(req))) }));
  api('GET', '/sobjects/:type', async (req, r) => {
    const obj = objectDef((req.params as Params).type ?? '');
    if (!obj) return reply(r, notFound());
    const entry = globalEntry(obj, baseOf(req));
    return { objectDescribe: entry, recentItems: [] };
  });
  api('GET', '/sobjects/:type/describe', async (req, r) => {
    const obj = objectDef((req.params as Params).type ?? '');
    return obj ? describe(obj, baseOf(req)) : reply(r, notFound());
  });
  api('POST', '/sobjects/:type', async (req, r) => reply(r, createRecord(ctx, (req.params as Params).type ?? '', req.body)));
  for (const which of ['updated', 'deleted'] as const) {
    api('GET', `/sobjects/:type/${which}`, async (req, r) => reply(r, replication(ctx, req, which)));
    api('GET', `/sobjects/:type/${which}/`, async (req, r) => reply(r, replication(ctx, req, which)));
  }
  api('GET', '/sobjects/:type/:id', async (req, r) => {
    const p = req.params as Params;
    return reply(r, getRecord(ctx, baseOf(req), p.type ?? '', p.id ?? '', (req.query as Params).fields));
  });
  api('PATCH', '/sobjects/:type/:id', async (req, r) => {
    const p = req.params as Params;
    return reply(r, updateRecord(ctx, p.type ?? '', p.id ?? '', req.body));
  });
  api('DELETE', '/sobjects/:type/:id', async (req, r) => {
    const p = req.params as Params;
    return reply(r, deleteRecord(ctx, p.type ?? '', p.id ?? ''));
  });
  api('PATCH', '/sobjects/:type/:field/:value', async (req, r) => {
    const p = req.params as Params;
    return reply(r, upsertRecord(ctx, versionOf(req), p.type ?? '', p.field ?? '', p.value ?? '', req.body));
  });

  const runQuery = (all: boolean): RouteHandlerMethod => async (req, r) => {
    const result = query(ctx, baseOf(req), (req.query as Params).q, all, batchSize(ctx, req));
    return sendPage(ctx, r, result);
  };
  const more: RouteHandlerMethod = async (req, r) => sendPage(ctx, r, queryMore(ctx, baseOf(req), (req.params as Params).locator ?? ''));
  api('GET', '/query', runQuery(false));
  api('GET', '/queryAll', runQuery(true));
  api('GET', '/query/:locator', more);
  api('GET', '/queryAll/:locator', more);

  api('GET', '/limits', async () => {
    const max = ctx.knobs.dailyApiLimit;
    const jobs = ctx.state.queryJobs.size;
    return {
      DailyApiRequests: { Max: max, Remaining: Number.isNaN(ctx.state.apiRemaining) ? max : ctx.state.apiRemaining },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 - jobs },
      DailyBulkV2QueryFileStorageMB: { Max: 1048576, Remaining: 1048576 },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 - ctx.state.ingestJobs.size },
      DataStorageMB: { Max: 1024, Remaining: 1024 },
      ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
    };
  });
}

/** `Sforce-Query-Options: batchSize=n` may lower the page size (200..2000); not guaranteed, as documented. */
function batchSize(ctx: SfCtx, req: FastifyRequest): number {
  const h = req.headers['sforce-query-options'];
  const m = typeof h === 'string' ? /batchSize=(\d+)/i.exec(h) : null;
  if (!m) return ctx.knobs.queryBatchSize;
  return Math.min(ctx.knobs.queryBatchSize, Math.max(200, Math.min(2000, Number(m[1]))));
}

function sendPage(ctx: SfCtx, r: FastifyReply, result: SfResult): FastifyReply {
  if (result.status === 200 && ctx.takeMalformed()) {
    return r.code(200).type('application/json;charset=UTF-8').send(JSON.stringify(result.body).slice(0, 40));
  }
  return sendResult(r, result);
}

/** GET /sobjects/{Type}/updated|deleted?start=&end= (replication API). */
function replication(ctx: SfCtx, req: FastifyRequest, which: 'updated' | 'deleted'): SfResult {
  const obj = objectDef((req.params as Params).type ?? '');
  if (!obj) return notFound();
  const q = req.query as Params;
  const start = Date.parse(q.start ?? '');
  const end = Date.parse(q.end ?? '');
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    return fail(400, sfError('INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute'));
  }
  const stamp = (v: unknown) => Date.parse(String(v).replace(/\+0000$/, 'Z'));
  const rows = [...ctx.state.store.table(obj.name).values()].filter((rec) => {
    const t = stamp(rec.SystemModstamp);
    return t >= start && t < end && (which === 'deleted' ? rec.IsDeleted === true : rec.IsDeleted !== true);
  });
  const latest = new Date(Math.min(end, Date.now())).toISOString().replace('Z', '+0000');
  if (which === 'updated') return { status: 200, body: { ids: rows.map((x) => x.Id), latestDateCovered: latest } };
  return {
    status: 200,
    body: { deletedRecords: rows.map((x) => ({ id: x.Id, deletedDate: x.SystemModstamp })), earliestDateAvailable: new Date(start).toISOString().replace('Z', '+0000'), latestDateCovered: latest },
  };
}
