import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { principalOf } from '../auth.ts';
import { HubError, invalid, notFound } from '../../domain/errors.ts';
import { asHubError, deleteRecords, listRecords, upsertRecords } from '../../connectors/actions.ts';
import type { UpsertInput } from '../../connectors/types.ts';
import { audit } from '../../observability/audit.ts';

const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' }, 502: { $ref: 'Problem#' }, 503: { $ref: 'Problem#' } };
const modelParams = { type: 'object', properties: { id: { type: 'string' }, model: { type: 'string' } } } as const;

function parseParams(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch (_err) { /* reported below */ }
  throw invalid('querystring.params', 'must be a JSON object, e.g. {"boardId":"123"}');
}

/** Headers a proxied request may not pass through: ours, or the connection's to set. */
const HOP = new Set(['authorization', 'host', 'connection', 'content-length', 'transfer-encoding', 'cookie', 'x-service-token', 'x-request-id', 'accept-encoding']);
/** Response headers that never come back through the proxy. */
const HIDDEN = new Set(['set-cookie', 'transfer-encoding', 'content-encoding', 'content-length', 'connection']);

export function connectorRoutes(deps: ApiDeps) {
  const conn = () => {
    if (!deps.connectors) throw new HubError('unavailable', 'connectors are not configured in this process');
    return deps.connectors;
  };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

  return async (app: FastifyInstance) => {
    app.get('/connectors', {
      config: { scope: 'connections:read' },
      schema: { tags: ['connectors'], summary: 'Every connector: models, auth modes, and the health of this tenant\'s connections in this process' },
    }, async (req) => {
      const { registry, catalog, runtime } = conn();
      const connections = await deps.store.forTenant(tenant(req)).connections.list({ limit: 200 });
      const disabled = await deps.store.forTenant(tenant(req)).connectorSettings.disabled();
      const health = runtime.health();
      return {
        items: registry.list().map((c) => {
          const mine = connections.items.filter((x) => x.provider === c.provider);
          return {
            id: c.provider,
            enabled: !disabled.has(c.provider),
            displayName: catalog.get(c.provider)?.displayName ?? c.provider,
            authModes: catalog.get(c.provider)?.auth.map((a) => a.mode) ?? [],
            webhookScheme: catalog.get(c.provider)?.webhooks?.scheme ?? null,
            models: Object.values(c.models).map((m) => ({ name: m.name, description: m.description, batchLimit: m.batchLimit, incremental: m.incremental, writable: Boolean(m.upsert), deletable: Boolean(m.delete), matchFields: m.matchFields ?? [] })),
            connections: mine.length,
            health: mine.map((x) => ({ connectionId: x.id, status: x.status, breaker: health.find((h) => h.connectionId === x.id)?.breaker ?? 'closed' })),
          };
        }),
      };
    });

    app.patch('/connectors/:id', {
      config: { scope: 'admin' },
      schema: {
        tags: ['connectors'], summary: 'Turn a connector on or off for your tenant',
        params: { type: 'object', properties: { id: { type: 'string' } } },
        body: { type: 'object', required: ['enabled'], additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
        response: { 200: { type: 'object', properties: { id: { type: 'string' }, enabled: { type: 'boolean' } } }, ...problems },
      },
    }, async (req) => {
      const { id } = req.params as { id: string };
      const { enabled } = req.body as { enabled: boolean };
      if (!conn().registry.get(id)) throw notFound('connector', id);
      const p = principalOf(req);
      await deps.store.transaction(async (tx) => {
        const t = tx.forTenant(p.tenantId);
        await t.connectorSettings.set(id, enabled, Date.now());
        await audit(t, { actor: p.keyId, action: enabled ? 'connector.enable' : 'connector.disable', target: id, requestId: req.id });
      });
      return { id, enabled };
    });

    app.get('/connections/:id/models/:model/records', {
      config: { scope: 'connections:read' },
      schema: {
        tags: ['actions'], summary: 'List a model\'s records (changes since a watermark, one page)',
        params: modelParams,
        querystring: { type: 'object', additionalProperties: false, properties: { since: { type: 'string' }, cursor: { type: 'string' }, params: { type: 'string', description: 'JSON object of model parameters, e.g. {"boardId":"123"}' } } },
        response: { ...problems },
      },
    }, async (req) => {
      const { id, model } = req.params as { id: string; model: string };
      const q = req.query as { since?: string; cursor?: string; params?: string };
      return listRecords(conn().runtime, tenant(req), id, model, { ...(q.since ? { since: q.since } : {}), ...(q.cursor ? { cursor: q.cursor } : {}), params: parseParams(q.params) });
    });

    app.post('/connections/:id/models/:model/records', {
      config: { scope: 'connections:write' },
      schema: {
        tags: ['actions'], summary: 'Upsert records (batched to the provider\'s limit); results line up with the input',
        params: modelParams,
        body: {
          type: 'object', required: ['records'], additionalProperties: false,
          properties: {
            records: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'object', required: ['record'], additionalProperties: false, properties: { id: { type: 'string' }, matchField: { type: 'string' }, record: { type: 'object', additionalProperties: true } } } },
            params: { type: 'object', additionalProperties: true },
          },
        },
        response: { ...problems },
      },
    }, async (req) => {
      const { id, model } = req.params as { id: string; model: string };
      const b = req.body as { records: UpsertInput[]; params?: Record<string, unknown> };
      return { results: await upsertRecords(conn().runtime, tenant(req), id, model, b.records, b.params ?? {}) };
    });

    app.delete('/connections/:id/models/:model/records/:recordId', {
      config: { scope: 'connections:write' },
      schema: { tags: ['actions'], summary: 'Delete one record', params: { type: 'object', properties: { id: { type: 'string' }, model: { type: 'string' }, recordId: { type: 'string' } } }, querystring: { type: 'object', properties: { params: { type: 'string' } } }, response: { ...problems } },
    }, async (req) => {
      const { id, model, recordId } = req.params as { id: string; model: string; recordId: string };
      const [result] = await deleteRecords(conn().runtime, tenant(req), id, model, [recordId], parseParams((req.query as { params?: string }).params));
      if (!result?.ok) throw new HubError('provider_error', result ? result.error : 'no result');
      return result;
    });

    // The pass-through proxy: any method, any path under the provider's API,
    // with the connection's auth, rate limits, retries and breaker.
    app.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/proxy/:id/*',
      config: { scope: 'connections:write' },
      schema: { tags: ['actions'], summary: 'Forward a request to the provider with the connection\'s credentials (the token never comes back)', params: { type: 'object', properties: { id: { type: 'string' }, '*': { type: 'string' } } } },
      handler: async (req, reply) => {
        const { id } = req.params as { id: string; '*': string };
        const rest = (req.params as { '*': string })['*'];
        const connection = await deps.store.forTenant(tenant(req)).connections.get(id);
        if (!connection) throw notFound('connection', id);
        const anyModel = conn().registry.get(connection.provider);
        if (!anyModel) throw new HubError('not_found', `no connector for provider ${connection.provider}`);
        const opened = await conn().runtime.open(tenant(req), id, Object.keys(anyModel.models)[0]!);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && typeof v === 'string') headers[k] = v;
        const query = Object.fromEntries(Object.entries(req.query as Record<string, string>));
        let res;
        try {
          res = await opened.ctx.client.request({
            method: req.method, path: `/${rest}`, query, headers,
            ...(req.body !== undefined && req.method !== 'GET' ? { body: req.body } : {}),
            idempotent: req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE',
          });
        } catch (err) {
          throw asHubError(err);
        }
        for (const [k, v] of res.headers) if (!HIDDEN.has(k)) reply.header(k, v);
        reply.header('x-switchyard-proxy-attempts', String(res.attempts));
        return reply.code(res.status).send(Buffer.from(res.body));
      },
    });
  };
}
