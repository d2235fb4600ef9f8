import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { newId } from '../domain/ids.ts';
import type { ApiDeps } from './deps.ts';
import { errorHandler, problemSchema, sendProblem } from './problem.ts';
import { registerAuth } from './auth.ts';
import { securityHeaders } from './security-headers.ts';
import { healthRoutes } from './routes/health.ts';
import { keyRoutes } from './routes/keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { webhookReceiveRoutes } from './routes/webhook-receive.ts';
import { webhookSourceRoutes } from './routes/webhook-sources.ts';
import { webhookEventRoutes } from './routes/webhook-events.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { connectorRoutes } from './routes/connectors.ts';
import { connectionRoutes } from './routes/connections.ts';
import { connectRoutes } from './routes/connect.ts';
import { mappingRoutes } from './routes/mappings.ts';
import { syncRoutes } from './routes/syncs.ts';
import { conflictRoutes } from './routes/conflicts.ts';
import './types.ts';

export type { ApiDeps };

export interface ApiOptions {
  bodyLimit: number;
  rateLimitMax: number;
  rateLimitWindowMs: number;
  version: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
/** helmet's defaults without a CSP: the API serves JSON, and the docs UI sets its own. */
const SECURITY_HEADERS = securityHeaders({ contentSecurityPolicy: false });

export async function buildApi(deps: ApiDeps, opts: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit,
    // Honour a caller's or proxy's request id when it is sane; mint one otherwise.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId('request');
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    return503OnClosing: true,
  });
  // Callback-style hooks: on the ingest hot path an async hook costs a promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(SECURITY_HEADERS).header('x-request-id', req.id);
    done();
  });

  app.addSchema(problemSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchyard API', version: opts.version, description: 'Self-hosted integration hub. Authenticate with `Authorization: Bearer <api key>`.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A Switchyard API key (sy_…)' }, serviceToken: { type: 'apiKey', in: 'header', name: 'X-Service-Token', description: 'A service JWT (HS256 or EdDSA) for the token API' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  // The docs UI is public, like /health and /openapi.json.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });

  const routeLabel = (url: string | undefined) => url ?? 'unmatched';
  app.addHook('onResponse', (req, reply, done) => {
    deps.metrics.httpDuration.observe(
      { method: req.method, route: routeLabel(req.routeOptions.url), status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  registerAuth(app, deps.store, deps.metrics);
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: opts.rateLimitMax,
    timeWindow: opts.rateLimitWindowMs,
    keyGenerator: (req) => req.principal?.keyId ?? req.ip,
    allowList: (req) => req.routeOptions.config.public === true && !req.url.startsWith('/api/'),
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, message: `Rate limit of ${ctx.max} requests per ${ctx.after} exceeded` }),
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, 'route_not_found', `No route ${req.method} ${req.url.split('?')[0]}`));

  await app.register(healthRoutes(deps));
  await app.register(keyRoutes(deps), { prefix: '/api/v1' });
  await app.register(auditRoutes(deps), { prefix: '/api/v1' });
  await app.register(webhookReceiveRoutes(deps), { prefix: '/api/v1' });
  await app.register(webhookSourceRoutes(deps), { prefix: '/api/v1' });
  await app.register(webhookEventRoutes(deps), { prefix: '/api/v1' });
  await app.register(subscriptionRoutes(deps), { prefix: '/api/v1' });
  await app.register(connectorRoutes(deps), { prefix: '/api/v1' });
  await app.register(connectionRoutes({ store: deps.store, connections: deps.connections, ...(deps.serviceTokens ? { serviceTokens: deps.serviceTokens } : {}) }), { prefix: '/api/v1' });
  await app.register(mappingRoutes({ mappings: deps.sync.mappings }), { prefix: '/api/v1' });
  await app.register(syncRoutes({ store: deps.store, syncs: deps.sync.syncs }), { prefix: '/api/v1' });
  await app.register(conflictRoutes({ store: deps.store, conflicts: deps.sync.conflicts }), { prefix: '/api/v1' });
  await app.register(connectRoutes({ connections: deps.connections, ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}), allowedRedirectOrigins: deps.connectRedirectOrigins ?? [] }), { prefix: '/api/v1' });

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
