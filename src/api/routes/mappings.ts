import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StoredMapping } from '../../store/repos/mappings.ts';
import type { MappingService, SpecInput } from '../../sync/mappings.ts';
import { principalOf } from '../auth.ts';
import '../types.ts';

/** What the mapping routes need; main.ts builds it. */
export interface MappingRouteDeps {
  mappings: MappingService;
}

const mappingSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, version: { type: 'integer' }, name: { type: 'string' },
    spec: { type: 'object', additionalProperties: true }, createdAt: { type: 'integer' },
  },
} as const;

const specBody = {
  type: 'object', required: ['spec'], additionalProperties: false,
  properties: { spec: { anyOf: [{ type: 'object' }, { type: 'string' }], description: 'The mapping spec as an object, or as YAML/JSON text (docs/transforms.md)' } },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } };
const idParams = { type: 'object', properties: { id: { type: 'string' } } } as const;
const view = (m: StoredMapping) => ({ id: m.id, version: m.version, name: m.name, spec: m.spec, createdAt: m.createdAt });

export function mappingRoutes(deps: MappingRouteDeps) {
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  return async (app: FastifyInstance) => {
    app.post('/mappings', {
      config: { scope: 'syncs:write' },
      schema: {
        tags: ['mappings'], summary: 'Store a mapping (version 1) after validating it; every error is reported with its path in the spec',
        body: specBody, response: { 201: mappingSchema, ...problems },
      },
    }, async (req, reply) => reply.code(201).send(view(await deps.mappings.create(tenant(req), req.body as { spec: SpecInput }))));

    app.get('/mappings', {
      config: { scope: 'syncs:read' },
      schema: {
        tags: ['mappings'], summary: 'List mappings (newest version of each)',
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string' } } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: mappingSchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems },
      },
    }, async (req) => {
      const q = req.query as { limit: number; cursor?: string };
      const list = await deps.mappings.list(tenant(req), q);
      return { items: list.items.map(view), nextCursor: list.nextCursor };
    });

    app.get('/mappings/:id', {
      config: { scope: 'syncs:read' },
      schema: {
        tags: ['mappings'], summary: 'A mapping (newest version, or `version`) with the list of its versions', params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } },
        response: { 200: { type: 'object', properties: { ...mappingSchema.properties, versions: { type: 'array', items: { type: 'object', properties: { version: { type: 'integer' }, name: { type: 'string' }, createdAt: { type: 'integer' } } } } } }, ...problems },
      },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const m = await deps.mappings.get(tenant(req), id, (req.query as { version?: number }).version);
      return { ...view(m), versions: await deps.mappings.versions(tenant(req), id) };
    });

    app.post('/mappings/:id/versions', {
      config: { scope: 'syncs:write' },
      schema: { tags: ['mappings'], summary: 'Store a new version of a mapping (syncs not pinned to a version use it from their next run)', params: idParams, body: specBody, response: { 201: mappingSchema, ...problems } },
    }, async (req, reply) => reply.code(201).send(view(await deps.mappings.update(tenant(req), (req.params as { id: string }).id, req.body as { spec: SpecInput }))));

    app.post('/mappings/:id/preview', {
      config: { scope: 'syncs:read' },
      schema: {
        tags: ['mappings'], summary: 'Run the mapping over sample records: the output or the field errors of each, nothing written', params: idParams,
        body: {
          type: 'object', required: ['records'], additionalProperties: false,
          properties: { records: { type: 'array', maxItems: 1000, items: {} }, direction: { type: 'string', enum: ['forward', 'reverse'] }, version: { type: 'integer', minimum: 1 } },
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...problems },
      },
    }, async (req) => deps.mappings.preview(tenant(req), (req.params as { id: string }).id, req.body as { records: unknown[]; direction?: 'forward' | 'reverse'; version?: number }));
  };
}
