import type { FastifyInstance } from 'fastify';
import { basicOf } from '../core/oauth.ts';
import type { MondayCtx } from './knobs.ts';

/**
 * auth.monday.com's OAuth endpoints, served on the fake's own origin:
 * `/oauth2/authorize` (the user consents at once) and `/oauth2/token`.
 * Classic Monday tokens never expire and come without a refresh token; the
 * newer opt-in flow (expiring tokens + refresh) is the `accessTokenTtlSec`
 * OAuth knob.
 */
export const SANDBOX_CLIENT_ID = 'monday-sandbox-client';
export const SANDBOX_CLIENT_SECRET = 'monday-sandbox-client-secret';

export function registerOAuthRoutes(app: FastifyInstance, fake: MondayCtx): void {
  fake.oauth.addClient(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET);

  app.get('/oauth2/authorize', async (req, reply) => {
    const out = fake.oauth.authorize(req.query as Record<string, string | undefined>, String(fake.state.accountId));
    if ('redirect' in out) return reply.redirect(out.redirect, 302);
    return reply.code(out.status).send({ error: out.error, error_description: out.error_description });
  });

  app.post('/oauth2/token', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    // Monday's documented token request has no grant_type: a code implies authorization_code.
    const form = { ...body, grant_type: body.grant_type ?? (body.code ? 'authorization_code' : undefined) };
    const out = fake.oauth.exchange(form, basicOf(req.headers.authorization));
    if ('status' in out) return reply.code(out.status).send({ error: out.error, error_description: out.error_description });
    const expiring = out.expires_in !== undefined;
    return reply.send({
      access_token: out.access_token,
      token_type: 'Bearer',
      scope: out.scope,
      // Only the new (expiring) flow hands out refresh tokens.
      ...(expiring ? { expires_in: out.expires_in, refresh_token: out.refresh_token } : {}),
    });
  });
}
