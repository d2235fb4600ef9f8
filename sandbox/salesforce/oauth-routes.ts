import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { basicOf, type TokenError, type TokenSuccess } from '../core/oauth.ts';
import { sessionOf } from './api-guard.ts';
import { connectedApp } from './connected-app.ts';
import { invalidSession, sendResult } from './errors.ts';
import { ORG_ID, USER_ID } from './ids.ts';
import { verifyAssertion } from './jwt-bearer.ts';
import type { SfCtx } from './state.ts';

/**
 * Salesforce's OAuth endpoints on the login host. Token responses carry
 * `instance_url`, `id`, `issued_at` and `signature` (base64 HMAC-SHA256 of
 * id + issued_at keyed by the consumer secret) and, by default, no `expires_in`.
 */
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type Form = Record<string, string | undefined>;

export function registerOAuthRoutes(app: FastifyInstance, ctx: SfCtx): void {
  app.get('/services/oauth2/authorize', async (req, reply) => {
    const q = { ...(req.query as Form) };
    connectedApp(ctx);
    // Salesforce supports only S256 and assumes it when the method is omitted (jsforce omits it).
    if (q.code_challenge && !q.code_challenge_method) q.code_challenge_method = 'S256';
    const out = ctx.oauth.authorize(q, ctx.knobs.username);
    if ('redirect' in out) return reply.redirect(out.redirect, 302);
    return reply.code(400).send({ error: out.error === 'invalid_client' ? 'invalid_client_id' : out.error, error_description: out.error === 'invalid_client' ? 'client identifier invalid' : out.error_description });
  });

  app.post('/services/oauth2/token', async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const appInfo = connectedApp(ctx);
    if (form.grant_type === JWT_GRANT) {
      ctx.oauth.calls[JWT_GRANT] = (ctx.oauth.calls[JWT_GRANT] ?? 0) + 1;
      const v = await verifyAssertion(ctx, form.assertion);
      if (!v.ok) return reply.code(400).send({ error: v.error, error_description: v.error_description });
      return tokenReply(ctx, reply, ctx.oauth.mint(appInfo.consumerKey, v.username, 'api', false));
    }
    const out = ctx.oauth.exchange(form, basicOf(req.headers.authorization));
    if ('error' in out) return reply.code(400).send(tokenError(ctx, form, out));
    // Salesforce repeats no refresh token on refresh unless rotation is on.
    if (form.grant_type === 'refresh_token' && !ctx.oauth.knobs.rotateRefreshToken) delete out.refresh_token;
    return tokenReply(ctx, reply, out);
  });

  const revoke = async (token: string | undefined, reply: FastifyReply) => {
    if (!token || !ctx.oauth.revoke(token)) return reply.code(400).send({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
    return reply.code(200).send();
  };
  app.post('/services/oauth2/revoke', async (req, reply) => revoke(((req.body ?? {}) as Form).token, reply));
  app.get('/services/oauth2/revoke', async (req, reply) => revoke((req.query as Form).token, reply));

  const identity = async (req: { headers: Record<string, unknown> }, reply: FastifyReply) => {
    const s = ctx.oauth.check(sessionOf(req as never));
    if (s.state !== 'ok') return sendResult(reply, invalidSession());
    return {
      id: `${ctx.baseUrl()}/id/${ORG_ID}/${USER_ID}`, user_id: USER_ID, organization_id: ORG_ID, username: ctx.knobs.username,
      preferred_username: ctx.knobs.username, email: ctx.knobs.username, display_name: 'Integration User', active: true, user_type: 'STANDARD',
      urls: { rest: `${ctx.baseUrl()}/services/data/v{version}/`, sobjects: `${ctx.baseUrl()}/services/data/v{version}/sobjects/`, query: `${ctx.baseUrl()}/services/data/v{version}/query/` },
    };
  };
  app.get('/services/oauth2/userinfo', identity);
  app.get('/id/:org/:user', identity);
}

function tokenReply(ctx: SfCtx, reply: FastifyReply, t: TokenSuccess): FastifyReply {
  const appInfo = connectedApp(ctx);
  const id = `${ctx.baseUrl()}/id/${ORG_ID}/${USER_ID}`;
  const issuedAt = String(Date.now());
  const body: Record<string, unknown> = {
    access_token: t.access_token,
    ...(t.refresh_token ? { refresh_token: t.refresh_token } : {}),
    signature: createHmac('sha256', appInfo.consumerSecret).update(id + issuedAt).digest('base64'),
    scope: t.scope || 'api refresh_token',
    instance_url: ctx.baseUrl(),
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
  if (ctx.knobs.includeExpiresIn && t.expires_in !== undefined) body.expires_in = t.expires_in;
  return reply.code(200).header('Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private').send(body);
}

function tokenError(ctx: SfCtx, form: Form, e: TokenError): { error: string; error_description: string } {
  if (e.error === 'invalid_client') {
    const known = ctx.oauth.clients.has(form.client_id ?? '');
    return known ? { error: 'invalid_client', error_description: 'invalid client credentials' } : { error: 'invalid_client_id', error_description: 'client identifier invalid' };
  }
  if (e.error === 'invalid_grant') {
    if (form.grant_type === 'refresh_token') return { error: 'invalid_grant', error_description: 'expired access/refresh token' };
    if (e.error_description.includes('redirect_uri')) return { error: 'invalid_grant', error_description: 'redirect_uri must match configuration' };
    return { error: 'invalid_grant', error_description: 'invalid authorization code' };
  }
  if (e.error === 'unsupported_grant_type') return { error: 'unsupported_grant_type', error_description: 'grant type not supported' };
  return { error: e.error, error_description: e.error_description };
}
