import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { principalOf } from '../auth.ts';

export function auditRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.get('/audit-log', {
      config: { scope: 'audit:read' },
      schema: {
        tags: ['audit'], summary: 'The tenant\'s audit trail, newest first',
        querystring: {
          type: 'object', additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            cursor: { type: 'string' },
            action: { type: 'string' },
            since: { type: 'integer', description: 'epoch ms, inclusive' },
            until: { type: 'integer', description: 'epoch ms, exclusive' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' }, actor: { type: 'string' }, action: { type: 'string' }, target: { type: ['string', 'null'] },
                    requestId: { type: ['string', 'null'] }, details: { type: ['object', 'null'], additionalProperties: true }, at: { type: 'integer' },
                  },
                },
              },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' },
        },
      },
    }, async (req) => deps.store.forTenant(principalOf(req).tenantId).auditLog.list(req.query as Record<string, never>));
  };
}
