import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { principalOf } from '../auth.ts';
import { HubError, notFound } from '../../domain/errors.ts';
import { PROCESS_JOB } from '../../webhooks/group-commit.ts';
import type { EventFilter } from '../../store/repos/webhook-events.ts';

const STATUSES = ['pending', 'processing', 'completed', 'retrying', 'dead'];
const filterProps = {
  sourceId: { type: 'string' }, provider: { type: 'string' }, type: { type: 'string' },
  status: { type: 'string', enum: STATUSES },
  since: { type: 'integer', description: 'received at or after (epoch ms)' },
  until: { type: 'integer', description: 'received before (epoch ms)' },
} as const;

const summary = {
  type: 'object',
  properties: {
    id: { type: 'string' }, sourceId: { type: 'string' }, provider: { type: 'string' }, type: { type: 'string' },
    dedupKey: { type: 'string' }, status: { type: 'string', enum: STATUSES }, attempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] }, receivedAt: { type: 'integer' }, finishedAt: { type: ['integer', 'null'] },
  },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } };

function toFilter(q: Record<string, unknown>): EventFilter {
  const f: EventFilter = {};
  if (typeof q.sourceId === 'string') f.sourceId = q.sourceId;
  if (typeof q.provider === 'string') f.provider = q.provider;
  if (typeof q.type === 'string') f.eventType = q.type;
  if (typeof q.status === 'string') f.status = q.status as EventFilter['status'];
  if (typeof q.since === 'number') f.since = q.since;
  if (typeof q.until === 'number') f.until = q.until;
  return f;
}

function view<T extends { eventType: string; jobId: string }>(e: T): Omit<T, 'eventType' | 'jobId'> & { type: string } {
  const { eventType, jobId: _jobId, ...rest } = e;
  return { ...rest, type: eventType };
}

export function webhookEventRoutes(deps: ApiDeps) {
  const tenant = (req: FastifyRequest) => deps.store.forTenant(principalOf(req).tenantId);
  return async (app: FastifyInstance) => {
    app.get('/webhooks/events', {
      config: { scope: 'webhooks:read' },
      schema: {
        tags: ['webhook events'], summary: 'List received events, newest first',
        querystring: { type: 'object', additionalProperties: false, properties: { ...filterProps, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, cursor: { type: 'string' } } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: summary }, nextCursor: { type: ['string', 'null'] } } }, ...problems },
      },
    }, async (req) => {
      const q = req.query as Record<string, unknown> & { limit: number; cursor?: string };
      const page = await tenant(req).webhookEvents.list({ ...toFilter(q), limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    });

    app.get('/webhooks/events/:id', {
      config: { scope: 'webhooks:read' },
      schema: {
        tags: ['webhook events'], summary: 'One event: status, every attempt with its error and timing, headers and payload',
        params: { type: 'object', properties: { id: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            properties: {
              ...summary.properties,
              headers: { type: 'object', additionalProperties: { type: 'string' } },
              payload: {}, payloadEncoding: { type: 'string', enum: ['json', 'text', 'base64'] },
              attemptLog: {
                type: 'array',
                items: { type: 'object', properties: { attempt: { type: 'integer' }, worker: { type: 'string' }, startedAt: { type: 'integer' }, finishedAt: { type: ['integer', 'null'] }, outcome: { type: ['string', 'null'] }, error: { type: ['string', 'null'] } } },
              },
            },
          },
          ...problems,
        },
      },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const t = tenant(req);
      const event = await t.webhookEvents.get(id);
      if (!event) throw notFound('webhook event', id);
      const text = event.body.toString('utf8');
      let payload: unknown = text;
      let payloadEncoding = Buffer.from(text, 'utf8').equals(event.body) ? 'text' : 'base64';
      if (payloadEncoding === 'base64') payload = event.body.toString('base64');
      else {
        try {
          payload = JSON.parse(text);
          payloadEncoding = 'json';
        } catch (_err) { /* plain text body */ }
      }
      const attempts = await t.jobs.attempts(event.jobId);
      const { body: _body, ...rest } = event;
      return {
        ...view(rest), payload, payloadEncoding,
        attemptLog: attempts.map((a) => ({ attempt: a.attempt, worker: a.worker, startedAt: a.started_at, finishedAt: a.finished_at, outcome: a.outcome, error: a.error })),
      };
    });

    app.post('/webhooks/events/:id/retry', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhook events'], summary: 'Process one event again now, with a fresh retry budget (any status but processing)',
        params: { type: 'object', properties: { id: { type: 'string' } } },
        response: { 202: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } }, 409: { $ref: 'Problem#' }, ...problems },
      },
    }, async (req, reply) => {
      const { id } = req.params as { id: string };
      const p = principalOf(req);
      const event = await tenant(req).webhookEvents.get(id);
      if (!event) throw notFound('webhook event', id);
      const replayed = await deps.queue.replay(deps.store, p.tenantId, [event.jobId], { actor: p.keyId, requestId: req.id, action: 'webhook_event.retry', target: id });
      if (replayed.length === 0) throw new HubError('conflict', 'The event is being processed right now');
      return reply.code(202).send({ id, status: 'pending' });
    });

    app.post('/webhooks/events/replay', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhook events'], summary: 'Replay every event matching a filter (dead ones included), up to `max`',
        body: { type: 'object', additionalProperties: false, properties: { ...filterProps, max: { type: 'integer', minimum: 1, maximum: 100000, default: 1000 } } },
        response: { 200: { type: 'object', properties: { matched: { type: 'integer' }, replayed: { type: 'integer' } } }, ...problems },
      },
    }, async (req) => {
      const body = (req.body ?? {}) as Record<string, unknown> & { max: number };
      const p = principalOf(req);
      const jobIds = await tenant(req).webhookEvents.jobIds(toFilter(body), body.max ?? 1000);
      const replayed = await deps.queue.replay(deps.store, p.tenantId, jobIds, { actor: p.keyId, requestId: req.id, action: 'webhook_event.replay', details: toFilter(body) as Record<string, unknown> });
      return { matched: jobIds.length, replayed: replayed.length };
    });

    app.get('/webhooks/health', {
      config: { scope: 'webhooks:read' },
      schema: {
        tags: ['webhook events'], summary: 'Event processing health for the tenant: counts by status, oldest waiting event, last received',
        response: {
          200: {
            type: 'object',
            properties: {
              byStatus: { type: 'object', additionalProperties: { type: 'integer' } },
              oldestPendingAgeMs: { type: 'integer' }, lastReceivedAt: { type: ['integer', 'null'] },
            },
          },
          ...problems,
        },
      },
    }, async (req) => {
      const t = tenant(req);
      const counts = await t.jobs.counts(PROCESS_JOB);
      return {
        byStatus: counts.byStatus,
        oldestPendingAgeMs: counts.oldestDueAt === null ? 0 : Math.max(0, Date.now() - counts.oldestDueAt),
        lastReceivedAt: await t.webhookEvents.lastReceivedAt(),
      };
    });
  };
}
