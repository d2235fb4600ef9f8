import { HubError } from '../domain/errors.ts';
import { assertUsable, credentialsOf, forget, loadConnectionForRead, type ConnectionsContext } from './context.ts';
import type { Credentials } from './credentials.ts';
import type { Actor } from './ports.ts';
import { isFresh, refreshConnection, stillValid, type Fresh } from './refresh.ts';

/** What the token API returns: enough to call the provider, nothing more. */
export interface TokenView {
  accessToken: string;
  /** `bearer` for OAuth modes, `basic` (accessToken = base64 user:password) or `api_key`. */
  tokenType: string;
  /** Epoch ms; null = does not expire. */
  expiresAt: number | null;
}

const STATIC_MODES = new Set(['api_key', 'basic']);

export function tokenView(creds: Credentials): TokenView {
  if (creds.mode === 'api_key') return { accessToken: creds.secret.apiKey ?? '', tokenType: 'api_key', expiresAt: null };
  if (creds.mode === 'basic') {
    return { accessToken: Buffer.from(`${creds.secret.username ?? ''}:${creds.secret.password ?? ''}`).toString('base64'), tokenType: 'basic', expiresAt: null };
  }
  if (!creds.token) throw new HubError('unavailable', 'the connection has no token yet');
  const type = creds.token.tokenType.toLowerCase() === 'bearer' ? 'bearer' : creds.token.tokenType;
  return { accessToken: creds.token.accessToken, tokenType: type, expiresAt: creds.token.expiresAt };
}

/**
 * A fresh token for one connection. The hot path is one row read and a
 * cached decrypt; only a token inside the refresh margin goes to refresh.
 * If that refresh fails while the current token is still valid, the caller
 * gets the current token: a provider outage should not become ours early.
 */
export async function freshCredentials(ctx: ConnectionsContext, tenantId: string, id: string, actor: Actor): Promise<Fresh> {
  const conn = await loadConnectionForRead(ctx, tenantId, id);
  assertUsable(conn);
  const creds = credentialsOf(ctx, conn);
  if (STATIC_MODES.has(conn.authMode) || isFresh(ctx, conn, creds)) return { conn, creds };
  try {
    forget(ctx, tenantId, id);
    return await refreshConnection(ctx, tenantId, id, { actor });
  } catch (err) {
    if (stillValid(ctx, creds) && !(err instanceof HubError && err.code === 'conflict')) {
      ctx.log.warn({ connectionId: id, err }, 'refresh failed; serving the current token until it expires');
      return { conn, creds };
    }
    throw err;
  }
}

export async function readToken(ctx: ConnectionsContext, tenantId: string, id: string, actor: Actor): Promise<TokenView> {
  const { conn, creds } = await freshCredentials(ctx, tenantId, id, actor);
  const view = tokenView(creds);
  ctx.reads.add({ tenantId, actor: actor.id, target: conn.id, requestId: actor.requestId ?? null, details: { provider: conn.provider }, at: ctx.now() });
  return view;
}
