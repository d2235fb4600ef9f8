import * as oauth from 'oauth4webapi';
import { classifyGrantError, GrantError } from './grant-error.ts';
import type { GrantContext, GrantResult } from './grant.ts';
import { issuerOf, parties, requestOptions } from './oauth-client.ts';
import { toTokenSet } from './token-response.ts';

/** The OAuth 2.0 refresh_token grant (RFC 6749 §6), done by oauth4webapi. */
export async function refreshTokenGrant(ctx: GrantContext): Promise<GrantResult> {
  const spec = ctx.provider.auth;
  if (spec.mode !== 'oauth2') throw new Error(`refresh grant on a ${spec.mode} connection`);
  const refreshToken = ctx.creds.token?.refreshToken;
  if (!refreshToken) throw new GrantError('invalid_grant', 'the connection has no refresh token; reconnect it');
  const p = parties({ issuer: issuerOf(spec.authorizationUrl), authorizationUrl: spec.authorizationUrl, tokenUrl: spec.tokenUrl }, ctx.provider.client, spec.tokenAuthMethod);
  try {
    const res = await oauth.refreshTokenGrantRequest(p.as, p.client, p.auth, refreshToken, requestOptions(spec.tokenUrl, ctx.http, spec.tokenBodyFormat));
    const body = await oauth.processRefreshTokenResponse(p.as, p.client, res);
    return toTokenSet(body, spec.tokenResponse, ctx.now, ctx.creds.token);
  } catch (err) {
    throw await classifyGrantError(err);
  }
}
