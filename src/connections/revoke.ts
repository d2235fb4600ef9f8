import * as oauth from 'oauth4webapi';
import type { Credentials } from './credentials.ts';
import { issuerOf, parties, requestOptions, type HttpPolicy } from './oauth-client.ts';
import type { ResolvedProvider } from './provider-spec.ts';

export interface RevokeOutcome {
  /** The catalog names a revocation endpoint and there was something to revoke. */
  attempted: boolean;
  ok: boolean;
  error?: string;
}

/**
 * Revokes at the provider before we forget the tokens. RFC 7009 via
 * oauth4webapi; a revokeUrl holding `${token}` is a provider-specific
 * DELETE on that path (HubSpot's `/oauth/v1/refresh-tokens/{token}`).
 * Revoking the refresh token ends the grant, so it goes first.
 */
export async function revokeAtProvider(provider: ResolvedProvider, creds: Credentials, http: HttpPolicy): Promise<RevokeOutcome> {
  const spec = provider.auth;
  if (spec.mode !== 'oauth2' || !spec.revokeUrl) return { attempted: false, ok: true };
  const token = creds.token?.refreshToken ?? creds.token?.accessToken;
  if (!token) return { attempted: false, ok: true };
  const hint = creds.token?.refreshToken ? 'refresh_token' : 'access_token';
  try {
    if (spec.revokeUrl.includes('${token}')) {
      const url = spec.revokeUrl.replace('${token}', encodeURIComponent(token));
      const res = await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(http.timeoutMs) });
      return res.ok || res.status === 404 ? { attempted: true, ok: true } : { attempted: true, ok: false, error: `revocation answered ${res.status}` };
    }
    const p = parties({ issuer: issuerOf(spec.authorizationUrl), tokenUrl: spec.tokenUrl, revokeUrl: spec.revokeUrl }, provider.client, spec.tokenAuthMethod);
    const res = await oauth.revocationRequest(p.as, p.client, p.auth, token, { ...requestOptions(spec.revokeUrl, http), additionalParameters: { token_type_hint: hint } });
    await oauth.processRevocationResponse(res);
    return { attempted: true, ok: true };
  } catch (err) {
    return { attempted: true, ok: false, error: err instanceof oauth.ResponseBodyError ? `${err.error}` : (err as Error).message };
  }
}
