import type { FastifyInstance } from 'fastify';
import { SCOPES } from '../../domain/scopes.ts';
import { createApiKey, revokeApiKey } from '../../tenancy/tenants.ts';
import type { ApiDeps } from '../deps.ts';
import { principalOf } from '../auth.ts';
import { notFound } from '../../domain/errors.ts';

const keySchema = {
  type: 'object',
  required: ['id', 'name', 'prefix', 'scopes', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'integer' },
    lastUsedAt: { type: ['integer', 'null'] },
    revokedAt: { type: ['integer', 'null'] },
  },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } };

export function keyRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.post('/keys', {
      config: { scope: 'keys:write' },
      schema: {
        tags: ['keys'], summary: 'Create an API key for the caller\'s tenant. The key is returned once.',
        body: {
          type: 'object', required: ['name', 'scopes'], additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, scopes: { type: 'array', minItems: 1, items: { type: 'string', enum: [...SCOPES] } } },
        },
        response: { 201: { type: 'object', properties: { ...keySchema.properties, key: { type: 'string' } } }, ...problems },
      },
    }, async (req, reply) => {
      const p = principalOf(req);
      const body = req.body as { name: string; scopes: string[] };
      const { key, record } = await createApiKey(deps.store, p.tenantId, body, { id: p.keyId, requestId: req.id });
      return reply.code(201).send({ ...record, key });
    });

    app.get('/keys', {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'], summary: 'List the tenant\'s API keys (never the secrets)',
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string' } } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: keySchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems },
      },
    }, async (req) => {
      const q = req.query as { limit: number; cursor?: string };
      return deps.store.forTenant(principalOf(req).tenantId).apiKeys.list(q);
    });

    app.get('/keys/:id', {
      config: { scope: 'admin' },
      schema: { tags: ['keys'], params: { type: 'object', properties: { id: { type: 'string' } } }, response: { 200: keySchema, 404: { $ref: 'Problem#' }, ...problems } },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const key = await deps.store.forTenant(principalOf(req).tenantId).apiKeys.get(id);
      if (!key) throw notFound('API key', id);
      return key;
    });

    app.delete('/keys/:id', {
      config: { scope: 'keys:write' },
      schema: { tags: ['keys'], summary: 'Revoke an API key', params: { type: 'object', properties: { id: { type: 'string' } } }, response: { 204: { type: 'null' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, ...problems } },
    }, async (req, reply) => {
      const p = principalOf(req);
      await revokeApiKey(deps.store, p.tenantId, (req.params as { id: string }).id, { id: p.keyId, requestId: req.id });
      return reply.code(204).send();
    });

    app.get('/me', {
      schema: { tags: ['keys'], summary: 'The caller: tenant, key and scopes', response: { 200: { type: 'object', properties: { tenantId: { type: 'string' }, keyId: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } } } } } },
    }, async (req) => principalOf(req));
  };
}
