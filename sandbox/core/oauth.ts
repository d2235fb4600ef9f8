import { randomBytes, createHash } from 'node:crypto';

/**
 * The token side of a fake's OAuth server. Providers differ in URLs and
 * response shapes, so this holds only the grants; each fake formats them.
 */
export interface OAuthKnobs {
  /** Access-token lifetime in seconds; null means it never expires (e.g. legacy Monday tokens). */
  accessTokenTtlSec: number | null;
  /** Whether each refresh returns a new refresh token and retires the old one. */
  rotateRefreshToken: boolean;
  /** Whether the authorize step must carry a PKCE challenge. */
  requirePkce: boolean;
  /** Answer authorize with error=access_denied instead of a code (a user who says no). */
  denyConsent: boolean;
}

export interface Grant {
  clientId: string;
  account: string;
  scope: string;
  expiresAt: number | null;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  account: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

export type TokenError = { error: string; error_description: string; status: number };
export type TokenSuccess = { access_token: string; refresh_token?: string; expires_in?: number; scope: string; account: string };

export const token = (prefix: string, bytes = 24): string => `${prefix}${randomBytes(bytes).toString('base64url')}`;

export class TokenIssuer {
  readonly clients = new Map<string, { secret: string }>();
  readonly codes = new Map<string, PendingCode>();
  readonly access = new Map<string, Grant>();
  readonly refresh = new Map<string, Omit<Grant, 'expiresAt'>>();
  /** Counts of token-endpoint calls by grant type: tests count refreshes here. */
  readonly calls: Record<string, number> = {};
  knobs: OAuthKnobs;
  private readonly prefix: string;

  constructor(prefix: string, knobs: OAuthKnobs) {
    this.prefix = prefix;
    this.knobs = knobs;
  }

  addClient(clientId: string, secret: string): void {
    this.clients.set(clientId, { secret });
  }

  /** The user approves at once; returns the redirect target. */
  authorize(q: Record<string, string | undefined>, account = 'sandbox-account'): { redirect: string } | TokenError {
    const redirectUri = q.redirect_uri;
    if (!q.client_id || !this.clients.has(q.client_id)) return { status: 400, error: 'invalid_client', error_description: 'unknown client_id' };
    if (!redirectUri) return { status: 400, error: 'invalid_request', error_description: 'redirect_uri is required' };
    const target = new URL(redirectUri);
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    if (this.knobs.denyConsent) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied access');
      return { redirect: target.toString() };
    }
    if (this.knobs.requirePkce && !q.code_challenge) return { status: 400, error: 'invalid_request', error_description: 'code_challenge is required' };
    const code = token('code-', 16);
    this.codes.set(code, {
      clientId: q.client_id, redirectUri, scope: q.scope ?? '', account,
      ...(q.code_challenge ? { codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method ?? 'plain' } : {}),
      expiresAt: Date.now() + 10 * 60_000,
    });
    target.searchParams.set('code', code);
    return { redirect: target.toString() };
  }

  /** Handles the token endpoint's form for authorization_code and refresh_token grants. */
  exchange(form: Record<string, string | undefined>, basicAuth?: { id: string; secret: string }): TokenSuccess | TokenError {
    const grantType = form.grant_type ?? '';
    this.calls[grantType] = (this.calls[grantType] ?? 0) + 1;
    const clientId = basicAuth?.id ?? form.client_id ?? '';
    const secret = basicAuth?.secret ?? form.client_secret ?? '';
    const client = this.clients.get(clientId);
    if (!client || client.secret !== secret) return { status: 401, error: 'invalid_client', error_description: 'client authentication failed' };
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.code ?? '');
      this.codes.delete(form.code ?? '');
      if (!code || code.expiresAt < Date.now() || code.clientId !== clientId) return { status: 400, error: 'invalid_grant', error_description: 'code is invalid or expired' };
      if (form.redirect_uri !== undefined && form.redirect_uri !== code.redirectUri) return { status: 400, error: 'invalid_grant', error_description: 'redirect_uri mismatch' };
      if (code.codeChallenge) {
        const verifier = form.code_verifier ?? '';
        const derived = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (derived !== code.codeChallenge) return { status: 400, error: 'invalid_grant', error_description: 'code_verifier does not match' };
      }
      return this.mint(clientId, code.account, code.scope, true);
    }
    if (grantType === 'refresh_token') {
      const rt = this.refresh.get(form.refresh_token ?? '');
      if (!rt || rt.clientId !== clientId) return { status: 400, error: 'invalid_grant', error_description: 'refresh token is invalid' };
      if (this.knobs.rotateRefreshToken) {
        this.refresh.delete(form.refresh_token ?? '');
        return this.mint(clientId, rt.account, rt.scope, true);
      }
      const minted = this.mint(clientId, rt.account, rt.scope, false);
      return { ...minted, refresh_token: form.refresh_token ?? '' };
    }
    return { status: 400, error: 'unsupported_grant_type', error_description: `grant_type ${grantType} is not supported` };
  }

  /** Issues an access token directly (client credentials, JWT bearer, private-app tokens, test setup). */
  mint(clientId: string, account: string, scope: string, withRefresh: boolean, ttlSec = this.knobs.accessTokenTtlSec): TokenSuccess {
    const accessToken = token(this.prefix);
    this.access.set(accessToken, { clientId, account, scope, expiresAt: ttlSec === null ? null : Date.now() + ttlSec * 1000 });
    const out: TokenSuccess = { access_token: accessToken, scope, account, ...(ttlSec === null ? {} : { expires_in: ttlSec }) };
    if (withRefresh) {
      const refreshToken = token(`${this.prefix}r-`);
      this.refresh.set(refreshToken, { clientId, account, scope });
      out.refresh_token = refreshToken;
    }
    return out;
  }

  /** Checks a bearer token; the fake decides how each outcome looks on the wire. */
  check(bearer: string | undefined): { state: 'ok'; grant: Grant } | { state: 'missing' | 'invalid' | 'expired' } {
    if (!bearer) return { state: 'missing' };
    const grant = this.access.get(bearer);
    if (!grant) return { state: 'invalid' };
    if (grant.expiresAt !== null && grant.expiresAt <= Date.now()) return { state: 'expired' };
    return { state: 'ok', grant };
  }

  revoke(tokenValue: string): boolean {
    return this.access.delete(tokenValue) || this.refresh.delete(tokenValue);
  }

  /** Forces every access token to be expired now (tests of refresh). */
  expireAll(): void {
    for (const g of this.access.values()) g.expiresAt = Date.now() - 1;
  }
}

/** Reads `Authorization: Bearer x` (case-insensitive scheme). */
export function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m?.[1];
}

/** Reads `Authorization: Basic base64(id:secret)`. */
export function basicOf(header: string | undefined): { id: string; secret: string } | undefined {
  const m = header ? /^Basic\s+(.+)$/i.exec(header.trim()) : null;
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}
