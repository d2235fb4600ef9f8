import { decodeJwt, jwtVerify } from 'jose';
import { connectedApp } from './connected-app.ts';
import type { SfCtx } from './state.ts';

/**
 * The JWT bearer grant: RS256 assertion signed with the key whose certificate
 * is registered on the connected app; iss = consumer key, sub = username,
 * aud = the login URL, exp short. Error texts are the ones Salesforce returns.
 */
export type JwtOutcome = { ok: true; username: string } | { ok: false; error: string; error_description: string };

const AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

export async function verifyAssertion(ctx: SfCtx, assertion: string | undefined): Promise<JwtOutcome> {
  const app = connectedApp(ctx);
  const bad = (error: string, error_description: string): JwtOutcome => ({ ok: false, error, error_description });
  let claims;
  try {
    claims = decodeJwt(assertion ?? '');
  } catch {
    return bad('invalid_grant', 'invalid assertion');
  }
  if (claims.iss !== app.consumerKey) return bad('invalid_client_id', 'client identifier invalid');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const allowed = [...AUDIENCES, ctx.baseUrl()];
  if (!aud.some((a: unknown) => typeof a === 'string' && allowed.includes(a.replace(/\/$/, '')))) return bad('invalid_grant', 'audience is invalid');
  try {
    await jwtVerify(assertion ?? '', app.publicKey, { algorithms: ['RS256'], requiredClaims: ['exp'] });
  } catch {
    return bad('invalid_grant', 'invalid assertion');
  }
  const exp = claims.exp ?? 0;
  if (exp - Date.now() / 1000 > ctx.knobs.jwtMaxLifetimeSec) return bad('invalid_grant', 'invalid assertion');
  if (claims.sub !== ctx.knobs.username) return bad('invalid_grant', "user hasn't approved this consumer");
  return { ok: true, username: claims.sub };
}
