import { importPKCS8, SignJWT } from 'jose';
import { classifyGrantError, grantErrorFromResponse } from './grant-error.ts';
import { secretField, type GrantContext, type GrantResult } from './grant.ts';
import { insecureAllowed } from './oauth-client.ts';

/**
 * GitHub App: an app JWT (RS256, `iss` = app id, `iat` 60 s in the past
 * for clock drift, `exp` ≤ 10 min) buys a one-hour installation token from
 * `POST /app/installations/{id}/access_tokens`. This is not OAuth, so it is
 * a plain request; "refresh" mints the next installation token.
 */
export async function signAppJwt(ctx: GrantContext): Promise<string> {
  const spec = ctx.provider.auth;
  if (spec.mode !== 'github_app') throw new Error(`GitHub App grant on a ${spec.mode} connection`);
  const key = await importPKCS8(secretField(ctx.creds, 'privateKey', ctx.provider.client.privateKey), 'RS256');
  const nowSec = Math.floor(ctx.now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(secretField(ctx.creds, 'appId', typeof ctx.config.appId === 'string' ? ctx.config.appId : ctx.provider.client.clientId))
    .setIssuedAt(nowSec - 60)
    .setExpirationTime(nowSec - 60 + spec.appJwtTtlSec)
    .sign(key);
}

export async function githubAppGrant(ctx: GrantContext): Promise<GrantResult> {
  const spec = ctx.provider.auth;
  if (spec.mode !== 'github_app') throw new Error(`GitHub App grant on a ${spec.mode} connection`);
  const url = spec.installationTokenUrl;
  if (!url.startsWith('https://') && !insecureAllowed(url, ctx.http)) throw new Error(`refusing to send an app JWT over plain http to ${new URL(url).host}`);
  const jwt = await signAppJwt(ctx);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'switchyard' },
      signal: AbortSignal.timeout(ctx.http.timeoutMs),
    });
  } catch (err) {
    throw await classifyGrantError(err);
  }
  if (!res.ok) throw await grantErrorFromResponse(res);
  const body = await res.json() as { token?: string; expires_at?: string };
  if (typeof body.token !== 'string') throw new Error('installation token response has no token');
  const expiresAt = body.expires_at ? Date.parse(body.expires_at) : ctx.now + spec.installationTokenTtlSec * 1000;
  return { token: { accessToken: body.token, tokenType: 'bearer', expiresAt }, kept: {} };
}
