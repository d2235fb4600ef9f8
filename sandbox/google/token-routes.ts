import type { FastifyInstance, FastifyReply } from 'fastify';
import { decodeJwt, importSPKI, jwtVerify } from 'jose';
import { basicOf } from '../core/oauth.ts';
import type { FakeContext } from '../core/server.ts';
import type { GoogleKnobs } from './knobs.ts';
import type { GoogleState } from './store.ts';

/**
 * Google's OAuth endpoints: the consent page (approves at once) and
 * `POST /token` for authorization codes, refresh tokens and the
 * service-account JWT bearer grant. Access tokens live 3600 s; a refresh
 * token comes only with `access_type=offline`, and refreshes do not rotate it.
 */
type Ctx = FakeContext<GoogleState, GoogleKnobs>;

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function tokenError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description });
}

async function jwtBearer(ctx: Ctx, assertion: string | undefined, reply: FastifyReply) {
  if (!assertion) return tokenError(reply, 400, 'invalid_request', 'Missing required parameter: assertion');
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    return tokenError(reply, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
  }
  const sa = ctx.state.serviceAccounts.get(String(claims.iss ?? ''));
  if (!sa) return tokenError(reply, 400, 'invalid_grant', 'Invalid grant: account not found');
  const audiences = [`${ctx.baseUrl()}/token`, ...ctx.knobs.acceptedAudiences];
  try {
    const key = await importSPKI(sa.publicKeyPem, 'RS256');
    await jwtVerify(assertion, key, { algorithms: ['RS256'], audience: audiences, clockTolerance: 60 });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return tokenError(reply, 400, 'invalid_grant', 'Invalid JWT Signature.');
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (err as { claim?: string }).claim === 'aud') return tokenError(reply, 400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
    return tokenError(reply, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
  }
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp - claims.iat > ctx.knobs.maxAssertionLifetimeSec) {
    return tokenError(reply, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
  }
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  if (!scope) return tokenError(reply, 400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  // Domain-wide delegation: the token acts as `sub` when one is named.
  const account = typeof claims.sub === 'string' ? claims.sub : sa.email;
  const minted = ctx.oauth.mint(sa.email, account, scope, false);
  return { access_token: minted.access_token, expires_in: minted.expires_in ?? 3600, token_type: 'Bearer' };
}

export function registerTokenRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/o/oauth2/v2/auth', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const out = ctx.oauth.authorize(q, q.login_hint ?? 'sandbox-user@example.com');
    if (!('redirect' in out)) return reply.code(out.status).type('text/html').send(`<h1>Error ${out.status}: ${out.error}</h1><p>${out.error_description}</p>`);
    const code = new URL(out.redirect).searchParams.get('code');
    if (code && q.access_type === 'offline') ctx.state.offlineCodes.add(code);
    return reply.redirect(out.redirect, 302);
  });

  app.post('/token', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    if (form.grant_type === JWT_BEARER) return jwtBearer(ctx, form.assertion, reply);
    const out = ctx.oauth.exchange(form, basicOf(req.headers.authorization));
    if ('error' in out) {
      const description = out.error === 'invalid_client' ? 'Unauthorized' : out.error === 'invalid_grant' ? 'Bad Request' : out.error_description;
      return tokenError(reply, out.status, out.error, description);
    }
    const offline = form.grant_type === 'authorization_code' && ctx.state.offlineCodes.delete(form.code ?? '');
    if (form.grant_type === 'authorization_code' && !offline && out.refresh_token) ctx.oauth.revoke(out.refresh_token);
    return {
      access_token: out.access_token,
      expires_in: out.expires_in ?? 3600,
      ...(offline ? { refresh_token: out.refresh_token } : {}),
      scope: out.scope,
      token_type: 'Bearer',
    };
  });

  app.post('/revoke', async (req, reply) => {
    const form = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
    if (!form.token || !ctx.oauth.revoke(form.token)) return tokenError(reply, 400, 'invalid_token', 'Token expired or revoked');
    return {};
  });
}
