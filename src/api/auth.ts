import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasScope, type Scope } from '../domain/scopes.ts';
import { authenticateKey } from '../tenancy/authenticate.ts';
import type { Store } from '../store/store.ts';
import type { Metrics } from '../observability/metrics.ts';
import { sendProblem } from './problem.ts';

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

/**
 * `Authorization: Bearer <api key>` on every route that is not public. 401
 * for a missing or bad key (one answer for every reason), 403 for a missing
 * scope. Unmatched routes fall through to the 404 handler unauthenticated.
 */
export function registerAuth(app: FastifyInstance, store: Store, metrics: Metrics): void {
  app.decorateRequest('principal', undefined);
  // Callback style, so a public route (the webhook receiver among them) pays no promise.
  app.addHook('onRequest', (req, reply, done) => {
    // routeOptions is a getter that builds a new object: read it once.
    const route = req.routeOptions;
    if (route.url === undefined || route.config.public) return done();
    authenticate(req, reply, route.config.scope).then((answered) => {
      if (!answered) done();
    }, done);
  });

  /** Authenticates the request; true when it has already been answered (401/403). */
  async function authenticate(req: FastifyRequest, reply: FastifyReply, scope: Scope | undefined): Promise<boolean> {
    const presented = bearer(req);
    if (!presented) {
      metrics.authFailures.inc({ reason: 'missing' });
      sendProblem(reply.header('www-authenticate', 'Bearer'), req, 'unauthorized', 'Send Authorization: Bearer <api key>');
      return true;
    }
    const outcome = await authenticateKey(store, presented);
    if (!outcome.ok) {
      metrics.authFailures.inc({ reason: outcome.reason });
      req.log.info({ reason: outcome.reason }, 'api key rejected');
      sendProblem(reply.header('www-authenticate', 'Bearer error="invalid_token"'), req, 'unauthorized', 'The API key is not valid');
      return true;
    }
    req.principal = outcome.principal;
    if (scope && !hasScope(outcome.principal.scopes, scope)) {
      metrics.authFailures.inc({ reason: 'scope' });
      sendProblem(reply, req, 'forbidden', `This route needs the ${scope} scope`);
      return true;
    }
    return false;
  }
}

/** The principal of an authenticated route; routes behind auth can rely on it. */
export function principalOf(req: FastifyRequest) {
  if (!req.principal) throw new Error('principalOf called on a public route');
  return req.principal;
}
