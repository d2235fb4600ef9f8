import * as oauth from 'oauth4webapi';
import { importPKCS8, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { classifyGrantError } from './grant-error.ts';
import { secretField, type GrantContext, type GrantResult } from './grant.ts';
import { parties, requestOptions } from './oauth-client.ts';
import { toTokenSet } from './token-response.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Salesforce's server-to-server flow (RFC 7523): an assertion signed with
 * the connected app's key, `iss` = consumer key, `sub` = the user, `aud` =
 * the login URL, a short `exp`. No refresh token comes back: a new
 * assertion is the refresh.
 */
export async function signJwtBearerAssertion(ctx: GrantContext): Promise<string> {
  const spec = ctx.provider.auth;
  if (spec.mode !== 'jwt_bearer') throw new Error(`JWT bearer grant on a ${spec.mode} connection`);
  const key = await importPKCS8(secretField(ctx.creds, 'privateKey', ctx.provider.client.privateKey), spec.algorithm);
  const nowSec = Math.floor(ctx.now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: spec.algorithm })
    .setIssuer(secretField(ctx.creds, 'clientId', ctx.provider.client.clientId))
    .setSubject(secretField(ctx.creds, 'username'))
    .setAudience(spec.audience)
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + spec.assertionTtlSec)
    .setJti(randomUUID())
    .sign(key);
}

export async function jwtBearerGrant(ctx: GrantContext): Promise<GrantResult> {
  const spec = ctx.provider.auth;
  if (spec.mode !== 'jwt_bearer') throw new Error(`JWT bearer grant on a ${spec.mode} connection`);
  const assertion = await signJwtBearerAssertion(ctx);
  // The assertion authenticates the client, so no secret goes with it.
  const p = parties({ issuer: new URL(spec.tokenUrl).origin, tokenUrl: spec.tokenUrl }, ctx.provider.client, 'client_secret_post',
    { clientId: secretField(ctx.creds, 'clientId', ctx.provider.client.clientId) });
  try {
    const res = await oauth.genericTokenEndpointRequest(p.as, p.client, oauth.None(), JWT_BEARER_GRANT, { assertion }, requestOptions(spec.tokenUrl, ctx.http));
    const body = await oauth.processGenericTokenEndpointResponse(p.as, p.client, res);
    return toTokenSet(body, spec.tokenResponse, ctx.now);
  } catch (err) {
    throw await classifyGrantError(err);
  }
}
