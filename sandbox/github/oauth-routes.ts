import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { basicOf } from '../core/oauth.ts';
import type { FakeContext } from '../core/server.ts';
import type { GithubKnobs } from './knobs.ts';
import { userByLogin, type GithubState } from './store.ts';

/**
 * OAuth App / GitHub App user authorization on github.com. The token
 * endpoint answers form-encoded unless the client sends
 * `Accept: application/json`, and reports errors with HTTP 200 and an
 * `error` field, as GitHub does. OAuth App tokens never expire; switch
 * `oauth.accessTokenTtlSec` to 28800 for expiring user tokens with rotating
 * refresh tokens (GitHub App behaviour).
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

const ERROR_CODES: Record<string, string> = {
  invalid_client: 'incorrect_client_credentials',
  unsupported_grant_type: 'unsupported_grant_type',
};
const REFRESH_TOKEN_TTL_SEC = 15_897_600;

function send(req: FastifyRequest, reply: FastifyReply, body: Record<string, string | number>) {
  const accept = String(req.headers.accept ?? '');
  if (accept.includes('application/json')) return reply.type('application/json; charset=utf-8').send(body);
  if (accept.includes('application/xml')) {
    const xml = Object.entries(body).map(([k, v]) => `<${k}>${String(v)}</${k}>`).join('');
    return reply.type('application/xml; charset=utf-8').send(`<OAuth>${xml}</OAuth>`);
  }
  const form = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]));
  return reply.type('application/x-www-form-urlencoded; charset=utf-8').send(form.toString());
}

export function defaultLogin(state: GithubState): string {
  for (const u of state.users.values()) if (u.type === 'User') return u.login;
  return 'octocat';
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/login/oauth/authorize', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const account = q.login && userByLogin(ctx.state, q.login) ? q.login : defaultLogin(ctx.state);
    const out = ctx.oauth.authorize(q, account);
    if ('redirect' in out) return reply.redirect(out.redirect, 302);
    return reply.code(out.status).type('text/html').send(`<h1>${out.error}</h1><p>${out.error_description}</p>`);
  });

  app.post('/login/oauth/access_token', async (req, reply) => {
    const form = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
    // GitHub's code exchange does not need grant_type; refreshes say refresh_token.
    if (!form.grant_type) form.grant_type = 'authorization_code';
    const out = ctx.oauth.exchange(form, basicOf(req.headers.authorization));
    if ('error' in out) {
      const error = ERROR_CODES[out.error] ?? (form.grant_type === 'refresh_token' ? 'bad_refresh_token' : out.error_description.includes('redirect_uri') ? 'redirect_uri_mismatch' : 'bad_verification_code');
      return send(req, reply, { error, error_description: out.error_description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' });
    }
    const scope = out.scope.split(/[\s,]+/).filter(Boolean).join(',');
    if (out.expires_in === undefined) {
      // Non-expiring OAuth App tokens come without a refresh token.
      if (out.refresh_token) ctx.oauth.revoke(out.refresh_token);
      return send(req, reply, { access_token: out.access_token, token_type: 'bearer', scope });
    }
    return send(req, reply, {
      access_token: out.access_token, expires_in: out.expires_in, refresh_token: out.refresh_token ?? '',
      refresh_token_expires_in: REFRESH_TOKEN_TTL_SEC, token_type: 'bearer', scope,
    });
  });
}
