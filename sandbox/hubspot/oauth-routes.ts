import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TokenError, TokenSuccess } from '../core/oauth.ts';
import type { HubSpotContext } from './knobs.ts';

/**
 * HubSpot's OAuth: the install URL redirects back with `?code=` at once (the
 * user consents), the v1 token endpoint takes a form and answers snake_case
 * JSON, and its errors use HubSpot's own `status` codes (BAD_AUTH_CODE ...),
 * not RFC 6749 names. v3 adds `hub_id` and `scopes`.
 */
function hubspotError(reply: FastifyReply, e: TokenError, grantType: string): FastifyReply {
  const [status, message] =
    e.error === 'invalid_client' ? ['BAD_CLIENT_ID', 'missing or unknown client id'] :
    e.error === 'unsupported_grant_type' ? ['BAD_GRANT_TYPE', `grant_type ${grantType} is not supported`] :
    e.error_description === 'redirect_uri mismatch' ? ['BAD_REDIRECT_URI', 'redirect_uri does not match the one used to authorize'] :
    grantType === 'refresh_token' ? ['BAD_REFRESH_TOKEN', 'missing or unknown refresh token'] :
    grantType === 'authorization_code' ? ['BAD_AUTH_CODE', 'missing or unknown auth code'] :
    ['BAD_REQUEST', e.error_description];
  return reply.code(400).send({ status, message, correlationId: randomUUID(), requestId: randomUUID().replaceAll('-', '') });
}

const scopesOf = (scope: string): string[] => scope.split(/[\s+,]+/).filter(Boolean);

export function registerOAuthRoutes(app: FastifyInstance, ctx: HubSpotContext): void {
  app.get('/oauth/authorize', async (req, reply) => {
    const out = ctx.oauth.authorize(req.query as Record<string, string | undefined>, String(ctx.knobs.portalId));
    if ('redirect' in out) return reply.redirect(out.redirect, 302);
    return reply.code(out.status).send({ status: 'error', message: out.error_description, correlationId: randomUUID() });
  });

  const token = (version: 'v1' | 'v3') => async (req: { body: unknown }, reply: FastifyReply) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const out = ctx.oauth.exchange(form);
    if ('error' in out) return hubspotError(reply, out, form.grant_type ?? '');
    return reply.send(tokenBody(ctx, out, version));
  };
  app.post('/oauth/v1/token', token('v1'));
  app.post('/oauth/v3/token', token('v3'));

  app.get('/oauth/v1/access-tokens/:token', async (req, reply) => {
    const t = (req.params as { token: string }).token;
    const grant = ctx.oauth.access.get(t);
    if (!grant || (grant.expiresAt !== null && grant.expiresAt <= Date.now())) {
      return reply.code(404).send({ status: 'error', message: 'access token not found or expired', correlationId: randomUUID() });
    }
    return {
      token: t, user: 'sandbox-user@example.com', hub_domain: 'sandbox.example.com', scopes: scopesOf(grant.scope),
      hub_id: Number(grant.account), app_id: ctx.knobs.appId, user_id: 1, token_type: 'access',
      expires_in: grant.expiresAt === null ? 0 : Math.max(0, Math.floor((grant.expiresAt - Date.now()) / 1000)),
    };
  });

  app.get('/oauth/v1/refresh-tokens/:token', async (req, reply) => {
    const t = (req.params as { token: string }).token;
    const grant = ctx.oauth.refresh.get(t);
    if (!grant) return reply.code(404).send({ status: 'error', message: 'refresh token not found', correlationId: randomUUID() });
    return {
      token: t, user: 'sandbox-user@example.com', hub_domain: 'sandbox.example.com', scopes: scopesOf(grant.scope),
      hub_id: Number(grant.account), client_id: grant.clientId, user_id: 1, token_type: 'refresh',
    };
  });

  app.delete('/oauth/v1/refresh-tokens/:token', async (req, reply) => {
    ctx.oauth.revoke((req.params as { token: string }).token);
    return reply.code(204).send();
  });
}

function tokenBody(ctx: HubSpotContext, t: TokenSuccess, version: 'v1' | 'v3'): Record<string, unknown> {
  const body: Record<string, unknown> = { token_type: 'bearer', refresh_token: t.refresh_token, access_token: t.access_token, expires_in: t.expires_in };
  if (version === 'v3') Object.assign(body, { hub_id: Number(t.account || ctx.knobs.portalId), scopes: scopesOf(t.scope) });
  return body;
}
