import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { principalOf } from '../auth.ts';
import { notFound } from '../../domain/errors.ts';
import { createSubscription, deleteSubscription, publicSubscription, updateSubscription, type SubscriptionInput } from '../../events/subscriptions/service.ts';
import { DELIVER_JOB } from '../../events/subscriptions/consumer.ts';

const subSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, eventTypes: { type: 'string' },
    filter: { type: 'object', additionalProperties: true }, action: { type: 'object', additionalProperties: true },
    status: { type: 'string', enum: ['active', 'paused'] }, createdAt: { type: 'integer' }, updatedAt: { type: 'integer' },
    secret: { type: 'string', description: 'Only on create, for webhook actions: the Standard Webhooks secret to verify deliveries' },
  },
} as const;

const body = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  eventTypes: { type: 'string', minLength: 1, maxLength: 200, description: 'Event types within your tenant: `webhook.received`, `request.*`, `provider.>`' },
  filter: { type: 'object', description: '`{ subject?: glob, data?: { "path.to.field": value | [values] } }`' },
  action: { type: 'object', description: '`{ kind: "webhook", url }` | `{ kind: "connector", connectionId, model, params?, mapping }` | `{ kind: "sync", syncId }`' },
  status: { type: 'string', enum: ['active', 'paused'] },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } };
const idParams = { type: 'object', properties: { id: { type: 'string' } } } as const;

export function subscriptionRoutes(deps: ApiDeps) {
  const actor = (req: FastifyRequest) => ({ id: principalOf(req).keyId, requestId: req.id });
  return async (app: FastifyInstance) => {
    app.post('/subscriptions', {
      config: { scope: 'events:write' },
      schema: { tags: ['event subscriptions'], summary: 'Subscribe to domain events on the bus with an action', body: { type: 'object', required: ['name', 'eventTypes', 'action'], additionalProperties: false, properties: body }, response: { 201: subSchema, ...problems } },
    }, async (req, reply) => {
      const created = await createSubscription(deps.store, deps.vault, principalOf(req).tenantId, req.body as SubscriptionInput, actor(req));
      if (created.secret) deps.redactor.add(created.secret);
      deps.onSubscriptionsChanged?.();
      return reply.code(201).send(created);
    });

    app.get('/subscriptions', {
      config: { scope: 'events:read' },
      schema: { tags: ['event subscriptions'], querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string' } } }, response: { 200: { type: 'object', properties: { items: { type: 'array', items: subSchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems } },
    }, async (req) => {
      const page = await deps.store.forTenant(principalOf(req).tenantId).subscriptions.list(req.query as { limit: number });
      return { items: page.items.map((s) => publicSubscription(s)), nextCursor: page.nextCursor };
    });

    app.get('/subscriptions/:id', {
      config: { scope: 'events:read' },
      schema: { tags: ['event subscriptions'], params: idParams, response: { 200: subSchema, ...problems } },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const s = await deps.store.forTenant(principalOf(req).tenantId).subscriptions.get(id);
      if (!s) throw notFound('subscription', id);
      return publicSubscription(s);
    });

    app.patch('/subscriptions/:id', {
      config: { scope: 'events:write' },
      schema: { tags: ['event subscriptions'], params: idParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: body }, response: { 200: subSchema, ...problems } },
    }, async (req) => {
      const updated = await updateSubscription(deps.store, principalOf(req).tenantId, (req.params as { id: string }).id, req.body as Partial<SubscriptionInput>, actor(req));
      deps.onSubscriptionsChanged?.();
      return updated;
    });

    app.delete('/subscriptions/:id', {
      config: { scope: 'events:write' },
      schema: { tags: ['event subscriptions'], params: idParams, response: { 204: { type: 'null' }, ...problems } },
    }, async (req, reply) => {
      await deleteSubscription(deps.store, principalOf(req).tenantId, (req.params as { id: string }).id, actor(req));
      deps.onSubscriptionsChanged?.();
      return reply.code(204).send();
    });

    app.get('/subscriptions/:id/deliveries', {
      config: { scope: 'events:read' },
      schema: {
        tags: ['event subscriptions'], summary: 'Deliveries of a subscription (one job per event), newest first',
        params: idParams, querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'processing', 'completed', 'retrying', 'dead'] }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { jobId: { type: 'string' }, eventId: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' }, attempts: { type: 'integer' }, lastError: { type: ['string', 'null'] }, createdAt: { type: 'integer' } } } } } }, ...problems },
      },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const q = req.query as { status?: 'dead'; limit: number };
      const t = deps.store.forTenant(principalOf(req).tenantId);
      if (!(await t.subscriptions.get(id))) throw notFound('subscription', id);
      const jobs = await t.jobs.byDedupPrefix(DELIVER_JOB, `${id}:`, { ...(q.status ? { status: q.status } : {}), limit: q.limit });
      return {
        items: jobs.map((j) => {
          const event = (JSON.parse(j.payload) as { event: { id: string; type: string } }).event;
          return { jobId: j.id, eventId: event.id, type: event.type, status: j.status, attempts: j.attempts, lastError: j.last_error, createdAt: j.created_at };
        }),
      };
    });

    app.post('/subscriptions/:id/replay', {
      config: { scope: 'events:write' },
      schema: {
        tags: ['event subscriptions'], summary: 'Deliver again the events of a subscription with a given status (dead by default)',
        params: idParams, body: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['dead', 'completed', 'retrying'], default: 'dead' }, max: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 } } },
        response: { 200: { type: 'object', properties: { matched: { type: 'integer' }, replayed: { type: 'integer' } } }, ...problems },
      },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const b = (req.body ?? {}) as { status?: 'dead' | 'completed' | 'retrying'; max?: number };
      const p = principalOf(req);
      const t = deps.store.forTenant(p.tenantId);
      if (!(await t.subscriptions.get(id))) throw notFound('subscription', id);
      const jobs = await t.jobs.byDedupPrefix(DELIVER_JOB, `${id}:`, { status: b.status ?? 'dead', limit: b.max ?? 1000 });
      const replayed = await deps.queue.replay(deps.store, p.tenantId, jobs.map((j) => j.id), { actor: p.keyId, requestId: req.id, action: 'subscription.replay', target: id });
      return { matched: jobs.length, replayed: replayed.length };
    });

    app.get('/cache/stats', {
      config: { scope: 'admin' },
      schema: {
        tags: ['cache'], summary: 'Cache hit, miss and set counters per namespace for your tenant',
        querystring: { type: 'object', properties: { tenant: { type: 'string', description: 'Must be your own tenant id when given' } } },
        response: { 200: { type: 'object', properties: { tenant: { type: 'string' }, namespaces: { type: 'array', items: { type: 'object', properties: { namespace: { type: 'string' }, hits: { type: 'integer' }, misses: { type: 'integer' }, sets: { type: 'integer' }, hitRate: { type: ['number', 'null'] } } } } } }, ...problems },
      },
    }, async (req) => {
      const tenantId = principalOf(req).tenantId;
      const asked = (req.query as { tenant?: string }).tenant;
      if (asked && asked !== tenantId) throw notFound('tenant', asked);
      const stats = await deps.cache.stats(tenantId);
      return { tenant: tenantId, namespaces: stats.map((s) => ({ namespace: s.namespace, hits: s.hits, misses: s.misses, sets: s.sets, hitRate: s.hits + s.misses > 0 ? s.hits / (s.hits + s.misses) : null })) };
    });
  };
}
