import * as oauth from 'oauth4webapi';
import { importPKCS8, SignJWT } from 'jose';
import { classifyGrantError } from './grant-error.ts';
import { secretField, type GrantContext, type GrantResult } from './grant.ts';
import { JWT_BEARER_GRANT } from './jwt-bearer.ts';
import { parties, requestOptions } from './oauth-client.ts';
import { toTokenSet } from './token-response.ts';

/**
 * Google's service-account flow: a JWT signed with the key from the JSON key
 * file, `iss` = the account's email, `scope` = the scopes, `aud` = the token
 * URL, `sub` = a user for domain-wide delegation. Exchanged with the JWT
 * bearer grant; no refresh token, a new assertion is the refresh.
 */
export async function serviceAccountGrant(ctx: GrantContext): Promise<GrantResult> {
  const spec = ctx.provider.auth;
  if (spec.mode !== 'service_account') throw new Error(`service account grant on a ${spec.mode} connection`);
  const email = secretField(ctx.creds, 'clientEmail');
  const key = await importPKCS8(secretField(ctx.creds, 'privateKey'), 'RS256');
  const nowSec = Math.floor(ctx.now / 1000);
  const scopes = ctx.creds.secret.scopes ? ctx.creds.secret.scopes.split(' ') : spec.scopes;
  const subject = ctx.creds.secret.subject;
  const jwt = new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(ctx.creds.secret.privateKeyId ? { kid: ctx.creds.secret.privateKeyId } : {}) })
    .setIssuer(email)
    .setAudience(spec.tokenUrl)
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + spec.assertionTtlSec);
  if (subject) jwt.setSubject(subject);
  const assertion = await jwt.sign(key);
  const p = parties({ issuer: new URL(spec.tokenUrl).origin, tokenUrl: spec.tokenUrl }, ctx.provider.client, 'client_secret_post', { clientId: email });
  try {
    const res = await oauth.genericTokenEndpointRequest(p.as, p.client, oauth.None(), JWT_BEARER_GRANT, { assertion }, requestOptions(spec.tokenUrl, ctx.http));
    const body = await oauth.processGenericTokenEndpointResponse(p.as, p.client, res);
    return toTokenSet(body, spec.tokenResponse, ctx.now);
  } catch (err) {
    throw await classifyGrantError(err);
  }
}

/** Accepts Google's JSON key file (as text or object) and keeps only what signing needs. */
export function serviceAccountSecret(input: Record<string, unknown>): Record<string, string> {
  let file = input.keyFile;
  if (typeof file === 'string') file = JSON.parse(file) as unknown;
  const src = (file && typeof file === 'object' ? file : input) as Record<string, unknown>;
  const pick = (...names: string[]) => names.map((n) => src[n] ?? input[n]).find((v) => typeof v === 'string') as string | undefined;
  const out: Record<string, string> = {};
  const email = pick('client_email', 'clientEmail');
  const key = pick('private_key', 'privateKey');
  if (email) out.clientEmail = email;
  if (key) out.privateKey = key;
  const keyId = pick('private_key_id', 'privateKeyId');
  if (keyId) out.privateKeyId = keyId;
  if (typeof input.subject === 'string') out.subject = input.subject;
  if (Array.isArray(input.scopes)) out.scopes = input.scopes.join(' ');
  return out;
}
