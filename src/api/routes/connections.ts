import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../../domain/errors.ts';
import { hasScope } from '../../domain/scopes.ts';
import type { ConnectionService } from '../../connections/service.ts';
import type { ServiceTokenVerifier } from '../../connections/service-token.ts';
import type { Actor } from '../../connections/ports.ts';
import type { CreateConnectionInput } from '../../connections/create.ts';
import type { ConnectionStatus } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { authenticateKey } from '../../tenancy/authenticate.ts';
import { principalOf } from '../auth.ts';

/** What the connection routes need; main.ts builds it. */
export interface ConnectionRouteDeps {
  /** For the token route's own authentication (API key or service token). */
  store: Store;
  connections: ConnectionService;
  /** Absent or without issuers: `X-Service-Token` is refused. */
  serviceTokens?: ServiceTokenVerifier;
  /**
   * How long the token route may reuse an API key check (default 1000 ms,
   * 0 = never). The token read is the hot path other services poll; a
   * revoked key stops working within this window.
   */
  keyCacheMs?: number;
}

type KeyCheck = { ok: true; tenantId: string; keyId: string; scopes: string[] } | { ok: false };

const connectionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, provider: { type: 'string' }, externalId: { type: 'string' }, authMode: { type: 'string' },
    status: { type: 'string', enum: ['active', 'needs_reauth', 'error', 'revoked'] }, expiresAt: { type: ['integer', 'null'] },
    config: { type: 'object', additionalProperties: true }, lastRefreshError: { type: ['string', 'null'] }, refreshFailures: { type: 'integer' },
    nextRefreshAt: { type: ['integer', 'null'] }, lastRefreshedAt: { type: ['integer', 'null'] }, createdAt: { type: 'integer' }, updatedAt: { type: 'integer' },
  },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' }, 503: { $ref: 'Problem#' } };
const idParams = { type: 'object', properties: { id: { type: 'string' } } } as const;

function bearer(req: FastifyRequest): string | undefined {
  const m = req.headers.authorization ? /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization) : null;
  return m?.[1];
}

export function connectionRoutes(deps: ConnectionRouteDeps) {
  const actor = (req: FastifyRequest): Actor => ({ id: principalOf(req).keyId, requestId: req.id });
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  // The token route authenticates itself (API key with tokens:read, or a service token), so it is "public" to the global hook.
  const tokenCallers = new WeakMap<FastifyRequest, { tenantId: string; actor: Actor }>();
  const keyCacheMs = deps.keyCacheMs ?? 1000;
  const keyChecks = new Map<string, { check: KeyCheck; until: number }>();

  async function checkKey(presented: string): Promise<KeyCheck> {
    const now = Date.now();
    const hit = keyChecks.get(presented);
    if (hit && hit.until > now) return hit.check;
    const outcome = await authenticateKey(deps.store, presented);
    const check: KeyCheck = outcome.ok ? { ok: true, ...outcome.principal } : { ok: false };
    if (keyCacheMs > 0) {
      if (keyChecks.size >= 10_000) keyChecks.clear();
      keyChecks.set(presented, { check, until: now + keyCacheMs });
    }
    return check;
  }

  async function authenticateTokenCaller(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const st = req.headers['x-service-token'];
    if (typeof st === 'string') {
      if (!deps.serviceTokens?.enabled) throw new HubError('unauthorized', 'service tokens are not enabled on this hub');
      const p = await deps.serviceTokens.verify(st, 'tokens:read');
      const id = `service:${p.issuer}${p.subject ? `/${p.subject}` : ''}`;
      tokenCallers.set(req, { tenantId: p.tenantId, actor: { id, requestId: req.id } });
      // The app's rate limiter keys on the principal; without it every service behind one IP would share a bucket.
      req.principal = { tenantId: p.tenantId, keyId: id, scopes: p.scopes };
      return;
    }
    const presented = bearer(req);
    if (!presented) throw new HubError('unauthorized', 'Send Authorization: Bearer <api key> or X-Service-Token: <jwt>', { headers: { 'www-authenticate': 'Bearer' } });
    const key = await checkKey(presented);
    if (!key.ok) throw new HubError('unauthorized', 'The API key is not valid', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    if (!hasScope(key.scopes, 'tokens:read')) throw new HubError('forbidden', 'This route needs the tokens:read scope');
    tokenCallers.set(req, { tenantId: key.tenantId, actor: { id: key.keyId, requestId: req.id } });
    req.principal = { tenantId: key.tenantId, keyId: key.keyId, scopes: key.scopes };
  }

  return async (app: FastifyInstance) => {
    app.get('/connections', {
      config: { scope: 'connections:read' },
      schema: {
        tags: ['connections'], summary: 'List connections (never their credentials)',
        querystring: {
          type: 'object', additionalProperties: false,
          properties: {
            provider: { type: 'string' }, status: { type: 'string', enum: ['active', 'needs_reauth', 'error', 'revoked'] }, externalId: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string' },
          },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: connectionSchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems },
      },
    }, async (req) => deps.connections.list(tenant(req), req.query as { limit: number; status?: ConnectionStatus }));

    app.get('/connections/:id', {
      config: { scope: 'connections:read' },
      schema: { tags: ['connections'], summary: 'One connection (never its credentials)', params: idParams, response: { 200: connectionSchema, ...problems } },
    }, async (req) => deps.connections.get(tenant(req), (req.params as { id: string }).id));

    app.post('/connections', {
      config: { scope: 'connections:write' },
      schema: {
        tags: ['connections'], summary: 'Create a connection that needs no browser: api_key, basic, client_credentials, jwt_bearer, github_app, service_account',
        description: 'Credentials are write-only. Token-minting modes mint their first token now, so refused credentials fail with 422.',
        body: {
          type: 'object', required: ['provider', 'externalId', 'credentials'], additionalProperties: false,
          properties: {
            provider: { type: 'string', minLength: 1 }, externalId: { type: 'string', minLength: 1, maxLength: 200 },
            authMode: { type: 'string', enum: ['api_key', 'basic', 'client_credentials', 'jwt_bearer', 'github_app', 'service_account'] },
            config: { type: 'object', additionalProperties: true },
            credentials: { type: 'object', additionalProperties: true, description: 'apiKey | username+password | clientId+clientSecret | clientId+privateKey+username | appId+privateKey+installationId | keyFile (+subject, scopes)' },
          },
        },
        response: { 201: connectionSchema, ...problems },
      },
    }, async (req, reply) => reply.code(201).send(await deps.connections.create(tenant(req), req.body as CreateConnectionInput, actor(req))));

    app.delete('/connections/:id', {
      config: { scope: 'connections:write' },
      schema: {
        tags: ['connections'], summary: 'Revoke at the provider (where the catalog says how), then delete',
        params: idParams,
        response: {
          200: { type: 'object', properties: { deleted: { type: 'boolean' }, revocation: { type: 'object', properties: { attempted: { type: 'boolean' }, ok: { type: 'boolean' }, error: { type: 'string' } } } } },
          ...problems,
        },
      },
    }, async (req) => deps.connections.remove(tenant(req), (req.params as { id: string }).id, actor(req)));

    app.post('/connections/:id/test', {
      config: { scope: 'connections:write' },
      schema: {
        tags: ['connections'], summary: 'Call the provider\'s API base URL with the connection\'s token; report status and latency',
        params: idParams,
        response: {
          200: { type: 'object', properties: { url: { type: 'string' }, ok: { type: 'boolean' }, credentialsAccepted: { type: 'boolean' }, status: { type: ['integer', 'null'] }, latencyMs: { type: 'number' }, error: { type: 'string' } } },
          ...problems,
        },
      },
    }, async (req) => deps.connections.test(tenant(req), (req.params as { id: string }).id, actor(req)));

    app.post('/connections/:id/refresh', {
      config: { scope: 'connections:write' },
      schema: { tags: ['connections'], summary: 'Refresh now, even if the token is fresh', params: idParams, response: { 200: connectionSchema, ...problems } },
    }, async (req) => deps.connections.refresh(tenant(req), (req.params as { id: string }).id, actor(req)));

    app.get('/connections/:id/token', {
      config: { public: true },
      onRequest: authenticateTokenCaller,
      schema: {
        tags: ['connections'], summary: 'A fresh access token for this connection',
        description: 'Authenticate with an API key holding `tokens:read`, or with `X-Service-Token: <jwt>` (see docs/connections.md). Refreshes first when the token is inside the refresh margin; concurrent callers share one refresh.',
        params: idParams,
        security: [{ apiKey: [] }, { serviceToken: [] }],
        response: {
          200: { type: 'object', required: ['accessToken', 'tokenType', 'expiresAt'], properties: { accessToken: { type: 'string' }, tokenType: { type: 'string' }, expiresAt: { type: ['integer', 'null'] } } },
          ...problems,
        },
      },
    }, async (req, reply) => {
      const caller = tokenCallers.get(req);
      if (!caller) throw new HubError('unauthorized');
      reply.header('cache-control', 'no-store');
      return deps.connections.token(caller.tenantId, (req.params as { id: string }).id, caller.actor);
    });
  };
}
