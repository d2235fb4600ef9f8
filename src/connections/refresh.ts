import { HubError } from '../domain/errors.ts';
import type { Connection } from '../store/repos/connections.ts';
import { assertUsable, credentialsOf, forget, loadConnection, record, type ConnectionsContext } from './context.ts';
import { rememberSecrets, sealCredentials, type Credentials } from './credentials.ts';
import { classifyGrantError } from './grant-error.ts';
import { mintToken } from './mint.ts';
import type { Actor } from './ports.ts';
import { resolveProvider } from './provider-spec.ts';
import { backoffFor, needsRefresh, nextRefreshAt } from './refresh-policy.ts';

/**
 * Refresh, once per connection however many ask. In a process, callers
 * share one promise (single-flight). Across processes, the store's lease
 * column (`tryLockRefresh`, a conditional UPDATE on every dialect) picks one
 * refresher; the others poll the row until its credentials version moves.
 * The winner re-reads the row after taking the lease, because another
 * process may have refreshed between our read and our lock.
 *
 * The new access token and a rotated refresh token are sealed together and
 * written with one compare-and-set on the credentials version, so a reader
 * never sees one without the other. See docs/connections.md for what a
 * crash between the provider's answer and that write means.
 */
export interface Fresh {
  conn: Connection;
  creds: Credentials;
}

export interface RefreshOptions {
  actor: Actor;
  /** Refresh even if the token is still fresh, and even inside a backoff window. */
  force?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const expiryOf = (conn: Connection, creds: Credentials) => (creds.token ? creds.token.expiresAt : undefined) ?? (creds.token ? conn.expiresAt : undefined);

export function isFresh(ctx: ConnectionsContext, conn: Connection, creds: Credentials): boolean {
  return !needsRefresh(ctx.policy, expiryOf(conn, creds), ctx.now());
}

/** The current token can still be used (though it is inside the refresh margin). */
export function stillValid(ctx: ConnectionsContext, creds: Credentials): boolean {
  const exp = creds.token?.expiresAt;
  return exp !== undefined && (exp === null || exp > ctx.now());
}

export function refreshConnection(ctx: ConnectionsContext, tenantId: string, id: string, opts: RefreshOptions): Promise<Fresh> {
  return ctx.flights.do(`${tenantId}:${id}`, () => refreshOnce(ctx, tenantId, id, opts));
}

async function refreshOnce(ctx: ConnectionsContext, tenantId: string, id: string, opts: RefreshOptions): Promise<Fresh> {
  const repo = ctx.store.forTenant(tenantId).connections;
  let startVersion: number | undefined;
  const deadline = ctx.now() + ctx.policy.leaseMs + 5_000;
  for (;;) {
    const conn = await loadConnection(ctx, tenantId, id);
    assertUsable(conn);
    const creds = credentialsOf(ctx, conn);
    if (doneAlready(ctx, conn, creds, opts.force === true, startVersion)) return { conn, creds };
    startVersion ??= conn.credentialsVersion;
    const now = ctx.now();
    if (!opts.force && conn.refreshFailures > 0 && conn.nextRefreshAt !== null && conn.nextRefreshAt > now) {
      if (stillValid(ctx, creds)) return { conn, creds };
      throw backingOff(conn, conn.nextRefreshAt - now);
    }
    if (await repo.tryLockRefresh(id, ctx.holderId, now + ctx.policy.leaseMs, now)) {
      try {
        return await refreshUnderLease(ctx, tenantId, id, opts, startVersion);
      } finally {
        await repo.unlockRefresh(id, ctx.holderId);
      }
    }
    if (ctx.now() > deadline) throw new HubError('unavailable', `connection ${id} is being refreshed by another process; try again`, { headers: { 'retry-after': '1' } });
    await sleep(ctx.policy.pollMs);
  }
}

/** A forced refresh is done once the version moved; a normal one once the token is fresh. */
function doneAlready(ctx: ConnectionsContext, conn: Connection, creds: Credentials, force: boolean, startVersion: number | undefined): boolean {
  if (force) return startVersion !== undefined && conn.credentialsVersion !== startVersion;
  return isFresh(ctx, conn, creds);
}

function backingOff(conn: Connection, waitMs: number): HubError {
  return new HubError('unavailable', `refreshing connection ${conn.id} failed (${conn.lastRefreshError ?? 'unknown error'}); next attempt in ${Math.ceil(waitMs / 1000)} s`, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
  });
}

async function refreshUnderLease(ctx: ConnectionsContext, tenantId: string, id: string, opts: RefreshOptions, startVersion: number): Promise<Fresh> {
  const repo = ctx.store.forTenant(tenantId).connections;
  const conn = await loadConnection(ctx, tenantId, id);
  assertUsable(conn);
  const creds = credentialsOf(ctx, conn);
  if (doneAlready(ctx, conn, creds, opts.force === true, startVersion)) return { conn, creds };

  const provider = resolveProvider(ctx.catalog, ctx.providers, conn.provider, conn.authMode, conn.config);
  let result;
  try {
    result = await mintToken({ provider, creds, config: conn.config, http: ctx.http, now: ctx.now() });
  } catch (err) {
    throw await recordFailure(ctx, conn, err, opts.actor);
  }
  const now = ctx.now();
  const next: Credentials = { ...creds, token: result.token };
  rememberSecrets(ctx.secrets, next);
  const config = Object.keys(result.kept).length > 0 ? { ...conn.config, ...result.kept } : undefined;
  const write = {
    sealedCredentials: sealCredentials(ctx.vault, tenantId, id, next), expiresAt: result.token.expiresAt,
    nextRefreshAt: nextRefreshAt(ctx.policy, result.token.expiresAt), now, refreshed: true, ...(config ? { config } : {}),
  };
  let version = conn.credentialsVersion;
  if (!(await repo.writeCredentials(id, version, write))) {
    // Only a reconnect (new credentials from the callback) or a lease that
    // expired under a slow grant gets here. A reconnect's tokens are newer
    // than ours: keep them. Otherwise ours are the last the provider issued.
    const now2 = await loadConnection(ctx, tenantId, id);
    const theirs = credentialsOf(ctx, now2);
    if (theirs.token?.refreshToken !== creds.token?.refreshToken && now2.lastRefreshedAt === conn.lastRefreshedAt) {
      ctx.log.warn({ connectionId: id }, 'credentials were replaced during refresh; keeping the replacement');
      return { conn: now2, creds: theirs };
    }
    version = now2.credentialsVersion;
    if (!(await repo.writeCredentials(id, version, write))) throw new HubError('conflict', `connection ${id} changed twice during its refresh; try again`);
    ctx.log.warn({ connectionId: id }, 'refresh lease was overtaken; stored the newest tokens anyway');
  }
  const rotated = result.token.refreshToken !== undefined && result.token.refreshToken !== creds.token?.refreshToken && creds.token?.refreshToken !== undefined;
  await record(ctx, conn, 'connection.refreshed', opts.actor, { rotated, expiresAt: result.token.expiresAt }, 'connection.refreshed');
  const fresh: Connection = {
    ...conn, sealedCredentials: write.sealedCredentials, credentialsVersion: version + 1, expiresAt: write.expiresAt, nextRefreshAt: write.nextRefreshAt,
    status: 'active', lastRefreshError: null, refreshFailures: 0, lastRefreshedAt: now, updatedAt: now, ...(config ? { config } : {}),
  };
  ctx.cache.set(`${tenantId}:${id}`, fresh.credentialsVersion, fresh.sealedCredentials, next);
  ctx.rows.set(`${tenantId}:${id}`, fresh, now);
  return { conn: fresh, creds: next };
}

/** Backs off, counts toward needs_reauth on invalid_grant, audits, and returns the error for the caller. */
async function recordFailure(ctx: ConnectionsContext, conn: Connection, err: unknown, actor: Actor): Promise<HubError> {
  const g = await classifyGrantError(err);
  const failures = conn.refreshFailures + 1;
  const now = ctx.now();
  forget(ctx, conn.tenantId, conn.id);
  const reauth = g.kind === 'invalid_grant' && failures >= ctx.policy.reauthAfter;
  const wait = backoffFor(ctx.policy, failures);
  // A provider may echo what it was sent; the stored error must not carry a secret.
  const message = `${g.kind}: ${ctx.secrets.string(g.message)}`;
  await ctx.store.forTenant(conn.tenantId).connections.recordRefreshFailure(conn.id, message, reauth ? 'needs_reauth' : 'active', reauth ? null : now + wait, now);
  ctx.log.warn({ connectionId: conn.id, provider: conn.provider, kind: g.kind, failures, status: g.status }, 'connection refresh failed');
  await record(ctx, conn, 'connection.refresh_failed', actor, { kind: g.kind, failures, providerStatus: g.status ?? null }, 'connection.refresh_failed');
  if (reauth) {
    await record(ctx, conn, 'connection.needs_reauth', actor, { failures }, 'connection.needs_reauth');
    return new HubError('conflict', `connection ${conn.id} needs re-authorization: the provider refused its grant ${failures} times (${g.message})`, { cause: g });
  }
  return new HubError('unavailable', `refreshing connection ${conn.id} failed: ${g.message}`, { cause: g, headers: { 'retry-after': String(Math.ceil(wait / 1000)) } });
}
