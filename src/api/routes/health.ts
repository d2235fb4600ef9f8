import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { sendProblem } from '../problem.ts';

export function healthRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.get('/health', {
      config: { public: true },
      schema: {
        tags: ['health'], summary: 'Liveness: the process answers', security: [],
        response: { 200: { type: 'object', properties: { status: { type: 'string', const: 'ok' } } } },
      },
    }, async () => ({ status: 'ok' }));

    app.get('/health/detailed', {
      schema: {
        tags: ['health'], summary: 'Readiness: database reachable and migrations current',
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string' },
              database: { type: 'object', properties: { dialect: { type: 'string' }, ok: { type: 'boolean' }, latencyMs: { type: 'number' }, migrationsCurrent: { type: 'boolean' } } },
              queue: { type: 'object', properties: { byStatus: { type: 'object', additionalProperties: { type: 'integer' } }, oldestDueAgeMs: { type: 'integer' } } },
            },
          },
          503: { $ref: 'Problem#' },
        },
      },
    }, async (req, reply) => {
      const started = performance.now();
      try {
        await deps.store.ping();
        const migrationsCurrent = await deps.store.migrationsCurrent();
        const latencyMs = Math.round((performance.now() - started) * 100) / 100;
        const queue = migrationsCurrent ? await deps.store.queue.stats(Date.now()) : undefined;
        const body = { status: migrationsCurrent ? 'ok' : 'degraded', database: { dialect: deps.store.kind, ok: true, latencyMs, migrationsCurrent }, ...(queue ? { queue } : {}) };
        return reply.code(migrationsCurrent ? 200 : 503).send(body);
      } catch (err) {
        req.log.warn({ err }, 'readiness check failed');
        return sendProblem(reply, req, 'unavailable', 'The database is not reachable');
      }
    });

    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    });
  };
}
