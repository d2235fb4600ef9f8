import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import type { ConnectionService } from '../../connections/service.ts';
import type { CallbackOutcome } from '../../connections/callback.ts';
import { principalOf } from '../auth.ts';

/** What the connect routes need; main.ts builds it. */
export interface ConnectRouteDeps {
  connections: ConnectionService;
  /** The URL providers send browsers back to is `${publicUrl}/api/v1/connect/callback`; else taken from the request. */
  publicUrl?: string;
  /** Origins `redirect` may point at; empty or absent = any http(s) URL (the caller holds an API key). */
  allowedRedirectOrigins?: string[];
}

export const CALLBACK_PATH = '/api/v1/connect/callback';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>`
    + '<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}code{background:#f3f3f3;padding:0 .2rem}</style>'
    + `</head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

const wantsJson = (req: FastifyRequest) => {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
};

function answer(req: FastifyRequest, reply: FastifyReply, out: CallbackOutcome): FastifyReply {
  if (out.ok) {
    const c = out.connection;
    if (out.returnTo) {
      const target = new URL(out.returnTo);
      target.searchParams.set('connectionId', c.id);
      target.searchParams.set('externalId', c.externalId);
      target.searchParams.set('provider', c.provider);
      target.searchParams.set('status', 'ok');
      return reply.redirect(target.toString(), 302);
    }
    if (wantsJson(req)) return reply.send({ status: 'ok', connectionId: c.id, externalId: c.externalId, provider: c.provider, created: out.created });
    return reply.type('text/html; charset=utf-8').send(page('Connected', `<p>Your ${esc(c.provider)} account is connected as <code>${esc(c.externalId)}</code> (<code>${esc(c.id)}</code>).</p><p>You can close this window.</p>`));
  }
  reply.code(out.status).header('cache-control', 'no-store');
  if (wantsJson(req)) return reply.send({ status: 'error', error: out.error, description: out.description, ...(out.provider ? { provider: out.provider } : {}) });
  const title = out.error === 'access_denied' ? 'Access was not granted' : 'The connection could not be made';
  return reply.type('text/html; charset=utf-8').send(page(title, `<p>${esc(out.description)}</p><p>Error: <code>${esc(out.error)}</code></p><p>No connection was created.</p>`));
}

function configFromQuery(q: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q)) {
    if (!k.startsWith('config.')) continue;
    config[k.slice('config.'.length)] = v;
  }
  return config;
}

export function connectRoutes(deps: ConnectRouteDeps) {
  const base = (req: FastifyRequest) => deps.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.headers.host ?? req.hostname}`;
  const checkRedirect = (redirect: string | undefined) => {
    if (redirect === undefined) return;
    let u: URL;
    try {
      u = new URL(redirect);
    } catch {
      throw invalid('redirect', 'must be an absolute URL');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid('redirect', 'must be an http(s) URL');
    const allowed = deps.allowedRedirectOrigins ?? [];
    if (allowed.length > 0 && !allowed.includes(u.origin)) throw invalid('redirect', `origin ${u.origin} is not allowed`);
  };

  return async (app: FastifyInstance) => {
    // Registered before /connect/:provider; Fastify prefers the static path anyway.
    app.get('/connect/callback', {
      config: { public: true },
      schema: {
        tags: ['connections'], summary: 'OAuth redirect target: validates state, exchanges the code, stores the connection',
        description: 'Answers with HTML for browsers, JSON when Accept asks for application/json. Success redirects to the `redirect` given at connect time.',
        querystring: { type: 'object', additionalProperties: true, properties: { state: { type: 'string' }, code: { type: 'string' }, error: { type: 'string' } } },
      },
    }, async (req, reply) => {
      const params = new URL(req.url, 'http://callback.invalid').searchParams;
      return answer(req, reply, await deps.connections.completeAuthorization(params, req.id));
    });

    app.get('/connect/:provider', {
      config: { scope: 'connections:write' },
      schema: {
        tags: ['connections'], summary: 'Start an OAuth connection: redirects to the provider with state and PKCE',
        description: 'Send the user\'s browser to the Location (302). With `Accept: application/json` the URL is returned instead. Connection settings go in `config.<name>` query parameters (per-connection URL overrides too: `config.tokenUrl`, `config.authorizationUrl`, `config.baseUrl`).',
        params: { type: 'object', properties: { provider: { type: 'string' } } },
        querystring: {
          type: 'object', required: ['connectionId'], additionalProperties: true,
          properties: {
            connectionId: { type: 'string', minLength: 1, maxLength: 200, description: 'Your name for this connection (e.g. a customer id)' },
            redirect: { type: 'string', description: 'Where to send the browser after the callback' },
          },
        },
        response: {
          200: { type: 'object', properties: { url: { type: 'string' }, state: { type: 'string' }, expiresAt: { type: 'integer' } } },
          401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' },
        },
      },
    }, async (req, reply) => {
      const { provider } = req.params as { provider: string };
      const q = req.query as Record<string, unknown> & { connectionId: string; redirect?: string };
      checkRedirect(q.redirect);
      const p = principalOf(req);
      const start = await deps.connections.startAuthorization(p.tenantId, {
        provider, externalId: q.connectionId, config: configFromQuery(q), callbackUrl: `${base(req)}${CALLBACK_PATH}`,
        ...(q.redirect ? { returnTo: q.redirect } : {}),
      }, { id: p.keyId, requestId: req.id });
      reply.header('cache-control', 'no-store');
      if (wantsJson(req)) return start;
      return reply.redirect(start.url, 302);
    });
  };
}
