import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { principalOf } from '../auth.ts';
import { notFound } from '../../domain/errors.ts';
import { createSource, deleteSource, publicSource, updateSource, type SourceChanges, type SourceInput } from '../../webhooks/sources.ts';
import { PROVIDERS } from '../../webhooks/providers.ts';
import { schemes } from '../../webhooks/schemes/index.ts';

const sourceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, url: { type: 'string', description: 'Give this URL to the provider' },
    provider: { type: 'string' }, scheme: { type: 'string' }, name: { type: 'string' },
    secretCount: { type: 'integer', description: 'Secrets are write-only; this is how many are active' },
    options: { type: 'object', additionalProperties: true }, status: { type: 'string', enum: ['active', 'disabled'] },
    rateLimitPerSec: { type: ['integer', 'null'] }, createdAt: { type: 'integer' }, updatedAt: { type: 'integer' },
  },
} as const;

const writable = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  secrets: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 4096 }, description: 'Write-only. Several are accepted at once, for rotation.' },
  options: { type: 'object', additionalProperties: true, description: 'Scheme options (see the scheme reference)' },
  status: { type: 'string', enum: ['active', 'disabled'] },
  rateLimitPerSec: { type: ['integer', 'null'], minimum: 1, maximum: 100000 },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } };
const idParams = { type: 'object', properties: { id: { type: 'string' } } } as const;

export function webhookSourceRoutes(deps: ApiDeps) {
  const base = (req: FastifyRequest) => deps.publicUrl ?? `${req.protocol}://${req.headers.host ?? req.hostname}`;
  const actor = (req: FastifyRequest) => ({ id: principalOf(req).keyId, requestId: req.id });
  const show = (s: Parameters<typeof publicSource>[1], req: FastifyRequest) => publicSource(deps.vault, s, base(req));

  return async (app: FastifyInstance) => {
    app.post('/webhook-sources', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhook sources'], summary: 'Create a webhook source: a receiving URL with its provider, scheme and secrets',
        body: {
          type: 'object', required: ['provider', 'name'], additionalProperties: false,
          properties: { provider: { type: 'string', enum: PROVIDERS }, scheme: { type: 'string', enum: [...schemes.keys()] }, ...writable },
        },
        response: { 201: sourceSchema, ...problems },
      },
    }, async (req, reply) => {
      const source = await createSource(deps.store, deps.vault, principalOf(req).tenantId, req.body as SourceInput, actor(req));
      return reply.code(201).send(show(source, req));
    });

    app.get('/webhook-sources', {
      config: { scope: 'webhooks:read' },
      schema: {
        tags: ['webhook sources'], summary: 'List webhook sources',
        querystring: { type: 'object', additionalProperties: false, properties: { provider: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string' } } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: sourceSchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems },
      },
    }, async (req) => {
      const page = await deps.store.forTenant(principalOf(req).tenantId).webhookSources.list(req.query as { limit: number });
      return { items: page.items.map((s) => show(s, req)), nextCursor: page.nextCursor };
    });

    app.get('/webhook-sources/:id', {
      config: { scope: 'webhooks:read' },
      schema: { tags: ['webhook sources'], params: idParams, response: { 200: sourceSchema, ...problems } },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const source = await deps.store.forTenant(principalOf(req).tenantId).webhookSources.get(id);
      if (!source) throw notFound('webhook source', id);
      return show(source, req);
    });

    app.patch('/webhook-sources/:id', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhook sources'], summary: 'Change a source; `secrets` replaces the whole list (send old and new together to rotate)',
        params: idParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: writable },
        response: { 200: sourceSchema, ...problems },
      },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const updated = await updateSource(deps.store, deps.vault, principalOf(req).tenantId, id, req.body as SourceChanges, actor(req));
      deps.ingestor.invalidate(id);
      return show(updated, req);
    });

    app.delete('/webhook-sources/:id', {
      config: { scope: 'webhooks:write' },
      schema: { tags: ['webhook sources'], summary: 'Delete a source with its events', params: idParams, response: { 204: { type: 'null' }, ...problems } },
    }, async (req, reply) => {
      const { id } = req.params as { id: string };
      await deleteSource(deps.store, principalOf(req).tenantId, id, actor(req));
      deps.ingestor.invalidate(id);
      return reply.code(204).send();
    });
  };
}
