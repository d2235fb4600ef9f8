import type { FastifyInstance } from 'fastify';
import { apiGuard } from './api-guard.ts';
import { dispatch } from './dispatch.ts';
import { fail, sendResult, sfError, type SfResult } from './errors.ts';
import type { SfCtx } from './state.ts';

/**
 * POST /composite: up to 25 subrequests run in order, later ones referring to
 * earlier results with `@{referenceId.path}`; with allOrNone a failure rolls
 * every write back and the others answer PROCESSING_HALTED.
 */
interface Sub { method: string; url: string; referenceId: string; body?: unknown }

const HALTED_ROLLBACK = 'The transaction was rolled back since another operation in the same transaction failed.';

export function registerCompositeRoutes(app: FastifyInstance, ctx: SfCtx): void {
  app.post('/services/data/:ver/composite', { preHandler: apiGuard(ctx) }, async (req, reply) => {
    const b = (req.body ?? {}) as { allOrNone?: boolean; compositeRequest?: Sub[] };
    const subs = b.compositeRequest;
    if (!Array.isArray(subs) || subs.length === 0) return sendResult(reply, fail(400, sfError('JSON_PARSER_ERROR', 'compositeRequest is required')));
    if (subs.length > 25) return sendResult(reply, fail(400, sfError('LIMIT_EXCEEDED', 'Max number of subrequests allowed in a composite request is 25')));
    return { compositeResponse: runComposite(ctx, subs, b.allOrNone === true) };
  });
}

export function runComposite(ctx: SfCtx, subs: Sub[], allOrNone: boolean): unknown[] {
  const store = ctx.state.store;
  const results = new Map<string, unknown>();
  const out: { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string }[] = [];
  let failed = false;
  store.begin();
  for (const sub of subs) {
    if (failed && allOrNone) {
      out.push(entry(sub, fail(400, sfError('PROCESSING_HALTED', HALTED_ROLLBACK))));
      continue;
    }
    const resolved = substitute({ url: sub.url, body: sub.body }, results);
    const r: SfResult = typeof resolved === 'string'
      ? fail(400, sfError('PROCESSING_HALTED', `Invalid reference specified. No value for ${resolved} found in ${resolved.split('.')[0]}. Provided referenceId ('${resolved.split('.')[0]}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`))
      : dispatch(ctx, sub.method, resolved.url, resolved.body);
    if (r.status < 400) results.set(sub.referenceId, r.body);
    else failed = true;
    out.push(entry(sub, r));
  }
  if (failed && allOrNone) {
    store.rollback();
    return out.map((e) => (e.httpStatusCode < 400 ? { ...e, body: [sfError('PROCESSING_HALTED', HALTED_ROLLBACK)], httpHeaders: {}, httpStatusCode: 400 } : e));
  }
  store.commit();
  return out;
}

function entry(sub: Sub, r: SfResult) {
  const headers: Record<string, string> = {};
  const id = (r.body as { id?: string } | undefined)?.id;
  if (r.status === 201 && id) headers.Location = `${sub.url.split('?')[0]}/${id}`;
  return { body: r.body ?? null, httpHeaders: headers, httpStatusCode: r.status, referenceId: sub.referenceId };
}

/** Replaces `@{ref.path}` in the URL and body; returns the unresolved reference when one is missing. */
function substitute(input: { url: string; body: unknown }, results: Map<string, unknown>): { url: string; body: unknown } | string {
  let missing: string | undefined;
  const replace = (s: string) => s.replace(/@\{([^}]+)\}/g, (_m, expr: string) => {
    const value = lookup(results, expr);
    if (value === undefined) missing ??= expr;
    return value === undefined ? '' : String(value);
  });
  const url = replace(input.url);
  const body = input.body === undefined ? undefined : JSON.parse(replace(JSON.stringify(input.body)));
  return missing ?? { url, body };
}

function lookup(results: Map<string, unknown>, expr: string): unknown {
  const [ref, ...path] = expr.split('.');
  let cur: unknown = results.get(ref ?? '');
  for (const seg of path.join('.').split('.').filter(Boolean)) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(seg);
    if (!m || cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[m[1]!];
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
  }
  return cur;
}
