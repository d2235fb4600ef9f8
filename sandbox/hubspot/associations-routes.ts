import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound, sendError } from './errors.ts';
import { ASSOCIATION_TYPE_PAIRS, DEFAULT_ASSOCIATION_TYPES, OBJECT_TYPES, REVERSE_ASSOCIATION_TYPE, type ObjectType } from './object-types.ts';
import { associate, associationsOf, dissociate, liveRecord } from './store.ts';
import { typeOrReply } from './objects-routes.ts';
import type { HubSpotContext } from './knobs.ts';

interface PairParams {
  objectType: string;
  objectId: string;
  toObjectType: string;
  toObjectId?: string;
}

const PRIMARY_TYPE_IDS = new Set([1, 2, 5, 6]);

function labelOf(typeId: number): string | null {
  return PRIMARY_TYPE_IDS.has(typeId) ? 'Primary' : null;
}

/** Resolves both ends of a v4 association path; answers 400/404 itself when it cannot. */
function pairOrReply(ctx: HubSpotContext, p: PairParams, reply: FastifyReply, needTarget: boolean): { from: ObjectType; to: ObjectType } | undefined {
  const from = typeOrReply(p.objectType, reply);
  const to = from && typeOrReply(p.toObjectType, reply);
  if (!from || !to) return undefined;
  if (!liveRecord(ctx.state, from, p.objectId) || (needTarget && !liveRecord(ctx.state, to, p.toObjectId ?? ''))) {
    notFound(reply);
    return undefined;
  }
  return { from, to };
}

/** The v4 associations API as `client.crm.associations.v4.basicApi` calls it. */
export function registerAssociationRoutes(app: FastifyInstance, ctx: HubSpotContext): void {
  app.put('/crm/v4/objects/:objectType/:objectId/associations/default/:toObjectType/:toObjectId', async (req, reply) => {
    const p = req.params as PairParams;
    const pair = pairOrReply(ctx, p, reply, true);
    if (!pair) return reply;
    const forward = DEFAULT_ASSOCIATION_TYPES[`${pair.from}->${pair.to}`];
    const backward = DEFAULT_ASSOCIATION_TYPES[`${pair.to}->${pair.from}`];
    if (!forward || !backward) return sendError(reply, 400, 'VALIDATION_ERROR', `No default association between ${pair.from} and ${pair.to}`);
    const startedAt = new Date().toISOString();
    associate(ctx.state, pair.from, p.objectId, pair.to, p.toObjectId ?? '', [forward.typeId], [backward.typeId]);
    const spec = (typeId: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId });
    return {
      status: 'COMPLETE',
      results: [
        { from: { id: p.objectId }, to: { id: p.toObjectId }, associationSpec: spec(forward.typeId) },
        { from: { id: p.toObjectId }, to: { id: p.objectId }, associationSpec: spec(backward.typeId) },
      ],
      startedAt, completedAt: new Date().toISOString(),
    };
  });

  app.put('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', async (req, reply) => {
    const p = req.params as PairParams;
    const pair = pairOrReply(ctx, p, reply, true);
    if (!pair) return reply;
    const specs = (Array.isArray(req.body) ? req.body : []) as { associationCategory?: string; associationTypeId?: number }[];
    if (specs.length === 0) return sendError(reply, 400, 'VALIDATION_ERROR', 'At least one association spec is required');
    const typeIds: number[] = [];
    for (const s of specs) {
      const id = Number(s.associationTypeId);
      const known = ASSOCIATION_TYPE_PAIRS[id];
      if (s.associationCategory === 'HUBSPOT_DEFINED' && (!known || known[0] !== pair.from || known[1] !== pair.to)) {
        return sendError(reply, 400, 'VALIDATION_ERROR', `associationTypeId ${id} is not valid from ${pair.from} to ${pair.to}`);
      }
      typeIds.push(id);
    }
    const reverse = typeIds.map((t) => REVERSE_ASSOCIATION_TYPE[t]).filter((t): t is number => t !== undefined);
    associate(ctx.state, pair.from, p.objectId, pair.to, p.toObjectId ?? '', typeIds, reverse);
    return reply.code(201).send({
      fromObjectTypeId: OBJECT_TYPES[pair.from].typeId, fromObjectId: Number(p.objectId),
      toObjectTypeId: OBJECT_TYPES[pair.to].typeId, toObjectId: Number(p.toObjectId),
      labels: typeIds.map(labelOf).filter((l): l is string => l !== null),
    });
  });

  app.get('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', async (req, reply) => {
    const p = req.params as PairParams;
    const pair = pairOrReply(ctx, p, reply, false);
    if (!pair) return reply;
    const q = req.query as { limit?: string; after?: string };
    const limit = Math.min(Math.max(Number(q.limit ?? 500) || 500, 1), 500);
    const offset = Number(q.after ?? 0) || 0;
    const all = associationsOf(ctx.state, pair.from, p.objectId, pair.to);
    const results = all.slice(offset, offset + limit).map((a) => ({
      toObjectId: Number(a.toId),
      associationTypes: a.typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: labelOf(typeId) })),
    }));
    const next = offset + limit < all.length ? { paging: { next: { after: String(offset + limit) } } } : {};
    return { results, ...next };
  });

  app.delete('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', async (req, reply) => {
    const p = req.params as PairParams;
    const pair = pairOrReply(ctx, p, reply, false);
    if (!pair) return reply;
    dissociate(ctx.state, pair.from, p.objectId, pair.to, p.toObjectId ?? '');
    return reply.code(204).send();
  });
}
