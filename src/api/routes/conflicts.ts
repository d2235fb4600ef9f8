import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../domain/errors.ts';
import type { Conflict } from '../../store/repos/conflicts.ts';
import type { Store } from '../../store/store.ts';
import type { ConflictService, Resolution } from '../../sync/conflicts.ts';
import { principalOf } from '../auth.ts';
import '../types.ts';

/** What the conflict routes need; main.ts builds it. */
export interface ConflictRouteDeps {
  store: Store;
  conflicts: ConflictService;
}

const conflictSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, syncId: { type: 'string' }, runId: { type: ['string', 'null'] }, sourceId: { type: 'string' }, targetId: { type: 'string' },
    details: { type: 'object', additionalProperties: true, description: 'fields changed on both sides; each side\'s record and mapped view now and at the last sync' },
    status: { type: 'string', enum: ['open', 'resolved'] }, resolution: { type: ['object', 'null'], additionalProperties: true },
    createdAt: { type: 'integer' }, updatedAt: { type: 'integer' }, resolvedAt: { type: ['integer', 'null'] },
  },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' }, 503: { $ref: 'Problem#' } };
const idParams = { type: 'object', properties: { id: { type: 'string' } } } as const;
const view = ({ tenantId: _t, ...c }: Conflict) => c;

export function conflictRoutes(deps: ConflictRouteDeps) {
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  return async (app: FastifyInstance) => {
    app.get('/conflicts', {
      config: { scope: 'syncs:read' },
      schema: {
        tags: ['conflicts'], summary: 'Conflicts kept for a person to decide (syncs with the `manual` policy)',
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { syncId: { type: 'string' }, status: { type: 'string', enum: ['open', 'resolved'] }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string' } },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: conflictSchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems },
      },
    }, async (req) => {
      const page = await deps.store.forTenant(tenant(req)).conflicts.list(req.query as { limit: number });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    });

    app.get('/conflicts/:id', {
      config: { scope: 'syncs:read' },
      schema: { tags: ['conflicts'], params: idParams, response: { 200: conflictSchema, ...problems } },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const c = await deps.store.forTenant(tenant(req)).conflicts.get(id);
      if (!c) throw notFound('conflict', id);
      return view(c);
    });

    app.post('/conflicts/:id/resolve', {
      config: { scope: 'syncs:write' },
      schema: {
        tags: ['conflicts'], summary: 'Resolve: `side` writes that side\'s version over the other; `record` (the target\'s shape) is written to both',
        params: idParams,
        body: {
          oneOf: [
            { type: 'object', required: ['side'], additionalProperties: false, properties: { side: { type: 'string', enum: ['source', 'target'] } } },
            { type: 'object', required: ['record'], additionalProperties: false, properties: { record: { type: 'object', additionalProperties: true } } },
          ],
        },
        response: { 200: conflictSchema, ...problems },
      },
    }, async (req) => view(await deps.conflicts.resolve(tenant(req), (req.params as { id: string }).id, req.body as Resolution, principalOf(req).keyId)));
  };
}
