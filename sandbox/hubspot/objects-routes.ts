import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound, sendError } from './errors.ts';
import { objectTypeOf, type ObjectType } from './object-types.ts';
import { listParam, renderRecord, withAssociations } from './render.ts';
import { archiveRecord, createRecord, findBy, liveRecord, updateRecord, type CrmRecord } from './store.ts';
import { applyAssociations, guardConflict, planAssociations, publish, rejectInvalidProperties } from './write.ts';
import type { HubSpotContext } from './knobs.ts';

type Query = Record<string, string | string[] | undefined>;

const MAX_PAGE = 100;

/** Resolves `{objectType}` or answers HubSpot's 400 for a type it cannot infer. */
export function typeOrReply(raw: string, reply: FastifyReply): ObjectType | undefined {
  const type = objectTypeOf(raw);
  if (!type) sendError(reply, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
  return type;
}

export function associationTargets(raw: unknown): ObjectType[] {
  return (listParam(raw) ?? []).map(objectTypeOf).filter((t): t is ObjectType => t !== undefined);
}

function lookup(ctx: HubSpotContext, type: ObjectType, id: string, q: Query, archived = false): CrmRecord | undefined {
  const idProperty = typeof q.idProperty === 'string' ? q.idProperty : undefined;
  if (idProperty && idProperty !== 'hs_object_id') return findBy(ctx.state, type, idProperty, id);
  const r = ctx.state.records[type].get(id);
  if (!r) return undefined;
  return r.archived === archived ? r : undefined;
}

/** First index in ascending numeric ids whose id is >= after. */
function lowerBound(ids: string[], after: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Number(ids[mid]) < after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function registerObjectRoutes(app: FastifyInstance, ctx: HubSpotContext): void {
  app.get('/crm/v3/objects/:objectType', async (req, reply) => {
    const type = typeOrReply((req.params as { objectType: string }).objectType, reply);
    if (!type) return reply;
    const q = req.query as Query;
    const limit = Math.min(Math.max(Number(q.limit ?? 10) || 10, 1), MAX_PAGE);
    const archived = q.archived === 'true';
    const properties = listParam(q.properties);
    const targets = associationTargets(q.associations);
    const ids = ctx.state.order[type];
    const page: CrmRecord[] = [];
    let next: string | undefined;
    for (let i = q.after ? lowerBound(ids, Number(q.after)) : 0; i < ids.length; i++) {
      const r = ctx.state.records[type].get(ids[i] as string);
      if (!r || r.archived !== archived) continue;
      if (page.length === limit) {
        next = r.id;
        break;
      }
      page.push(r);
    }
    if (ctx.takeMalformed()) return reply.code(200).type('application/json').send('{"results":[{"id":"' + (page[0]?.id ?? '1') + '","properties":{');
    const results = page.map((r) => withAssociations(ctx.state, type, renderRecord(type, r, properties), targets));
    const paging = next === undefined ? {} : {
      paging: { next: { after: next, link: `${ctx.baseUrl()}/crm/v3/objects/${type}?limit=${limit}&after=${next}` } },
    };
    return { results, ...paging };
  });

  app.get('/crm/v3/objects/:objectType/:id', async (req, reply) => {
    const { objectType, id } = req.params as { objectType: string; id: string };
    const type = typeOrReply(objectType, reply);
    if (!type) return reply;
    const q = req.query as Query;
    const r = lookup(ctx, type, id, q, q.archived === 'true');
    if (!r) return notFound(reply);
    return withAssociations(ctx.state, type, renderRecord(type, r, listParam(q.properties)), associationTargets(q.associations));
  });

  app.post('/crm/v3/objects/:objectType', async (req, reply) => {
    const type = typeOrReply((req.params as { objectType: string }).objectType, reply);
    if (!type) return reply;
    const body = (req.body ?? {}) as { properties?: unknown; associations?: unknown };
    if (!rejectInvalidProperties(ctx, type, body.properties, reply)) return reply;
    const plan = planAssociations(ctx, type, body.associations);
    if (typeof plan === 'string') return sendError(reply, 400, 'VALIDATION_ERROR', plan);
    const made = guardConflict(reply, () => createRecord(ctx.state, type, body.properties as Record<string, unknown>));
    if (!made) return reply;
    applyAssociations(ctx, type, made.record.id, plan);
    void publish(ctx, made.changes);
    const targets = [...new Set(plan.map((p) => p.to))];
    return reply.code(201).send(withAssociations(ctx.state, type, renderRecord(type, made.record, Object.keys(body.properties as object)), targets));
  });

  app.patch('/crm/v3/objects/:objectType/:id', async (req, reply) => {
    const { objectType, id } = req.params as { objectType: string; id: string };
    const type = typeOrReply(objectType, reply);
    if (!type) return reply;
    const r = lookup(ctx, type, id, req.query as Query);
    if (!r) return notFound(reply);
    const body = (req.body ?? {}) as { properties?: unknown };
    if (!rejectInvalidProperties(ctx, type, body.properties, reply)) return reply;
    const changes = guardConflict(reply, () => updateRecord(ctx.state, type, r, body.properties as Record<string, unknown>));
    if (!changes) return reply;
    void publish(ctx, changes);
    return renderRecord(type, r, Object.keys(body.properties as object));
  });

  // HubSpot answers 204 whether or not the record existed; it moves to the recycle bin.
  app.delete('/crm/v3/objects/:objectType/:id', async (req, reply) => {
    const { objectType, id } = req.params as { objectType: string; id: string };
    const type = typeOrReply(objectType, reply);
    if (!type) return reply;
    const r = liveRecord(ctx.state, type, id);
    if (r) void publish(ctx, archiveRecord(ctx.state, type, r));
    return reply.code(204).send();
  });
}
