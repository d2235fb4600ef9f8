import * as oauth from 'oauth4webapi';
import { classifyGrantError } from './grant-error.ts';
import type { GrantContext, GrantResult } from './grant.ts';
import { parties, requestOptions } from './oauth-client.ts';
import { toTokenSet } from './token-response.ts';

/**
 * The client credentials grant (RFC 6749 §4.4). There is no refresh token:
 * "refresh" mints a new token before the old one expires, which is the step
 * Activepieces skipped (#7850).
 */
export async function clientCredentialsGrant(ctx: GrantContext): Promise<GrantResult> {
  const spec = ctx.provider.auth;
  if (spec.mode !== 'client_credentials') throw new Error(`client credentials grant on a ${spec.mode} connection`);
  const own = { ...(ctx.creds.secret.clientId ? { clientId: ctx.creds.secret.clientId } : {}), ...(ctx.creds.secret.clientSecret ? { clientSecret: ctx.creds.secret.clientSecret } : {}) };
  const p = parties({ issuer: new URL(spec.tokenUrl).origin, tokenUrl: spec.tokenUrl }, ctx.provider.client, spec.tokenAuthMethod, own);
  const params: Record<string, string> = spec.scopes.length > 0 ? { scope: spec.scopes.join(spec.scopeSeparator) } : {};
  try {
    const res = await oauth.clientCredentialsGrantRequest(p.as, p.client, p.auth, params, requestOptions(spec.tokenUrl, ctx.http));
    const body = await oauth.processClientCredentialsResponse(p.as, p.client, res);
    return toTokenSet(body, spec.tokenResponse, ctx.now);
  } catch (err) {
    throw await classifyGrantError(err);
  }
}
