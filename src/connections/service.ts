import type { ConnectionFilter } from '../store/repos/connections.ts';
import type { Page } from '../store/repos/paging.ts';
import { startAuthorization, type AuthorizeInput, type AuthorizeStart } from './authorize.ts';
import { completeAuthorization, type CallbackOutcome } from './callback.ts';
import { credentialsOf, forget, loadConnection, makeContext, record, type ConnectionServiceOptions, type ConnectionsContext } from './context.ts';
import { createConnection, type CreateConnectionInput } from './create.ts';
import type { ConnectionEventListener, ConnectionEventName } from './events.ts';
import { checkHealth, type HealthCheck } from './health-check.ts';
import type { Actor } from './ports.ts';
import { resolveProvider } from './provider-spec.ts';
import { refreshConnection } from './refresh.ts';
import { refreshDue, type RefreshDueResult } from './refresher.ts';
import { revokeAtProvider, type RevokeOutcome } from './revoke.ts';
import { freshCredentials, readToken, tokenView, type TokenView } from './token.ts';
import { connectionView, type ConnectionView } from './view.ts';

export type { ConnectionServiceOptions } from './context.ts';

/**
 * The connections service: the face the API, the worker and other
 * services use. Each method is a thin call into the file that owns the
 * concept (authorize, callback, token, refresh, revoke, health check).
 */
export class ConnectionService {
  readonly ctx: ConnectionsContext;

  constructor(options: ConnectionServiceOptions) {
    this.ctx = makeContext(options);
  }

  /** Lifecycle hook, e.g. `onEvent('connection.needs_reauth', e => outbox.add(e))`. Returns the unsubscribe. */
  onEvent(name: ConnectionEventName, fn: ConnectionEventListener): () => void {
    return this.ctx.events.on(name, fn);
  }

  /** Commits pending token-read audit entries (call before reading the audit log, and on shutdown). */
  flushAudit(): Promise<void> {
    return this.ctx.reads.flush();
  }

  /** Flushes what must not be lost; the service holds no other resources. */
  close(): Promise<void> {
    return this.ctx.reads.flush();
  }

  startAuthorization(tenantId: string, input: AuthorizeInput, actor: Actor): Promise<AuthorizeStart> {
    return startAuthorization(this.ctx, tenantId, input, actor);
  }

  completeAuthorization(params: URLSearchParams, requestId: string | null = null): Promise<CallbackOutcome> {
    return completeAuthorization(this.ctx, params, requestId);
  }

  async create(tenantId: string, input: CreateConnectionInput, actor: Actor): Promise<ConnectionView> {
    return connectionView(await createConnection(this.ctx, tenantId, input, actor));
  }

  async get(tenantId: string, id: string): Promise<ConnectionView> {
    return connectionView(await loadConnection(this.ctx, tenantId, id));
  }

  async list(tenantId: string, filter: ConnectionFilter): Promise<Page<ConnectionView>> {
    const page = await this.ctx.store.forTenant(tenantId).connections.list(filter);
    return { ...page, items: page.items.map(connectionView) };
  }

  token(tenantId: string, id: string, actor: Actor): Promise<TokenView> {
    return readToken(this.ctx, tenantId, id, actor);
  }

  /**
   * A fresh token for the hub's own provider calls (connectors, the proxy):
   * the same refresh rules as `token`, without a read audit entry per call —
   * the calls themselves are what gets audited.
   */
  async tokenForCall(tenantId: string, id: string): Promise<TokenView> {
    const { creds } = await freshCredentials(this.ctx, tenantId, id, { id: 'connector' });
    return tokenView(creds);
  }

  async refresh(tenantId: string, id: string, actor: Actor): Promise<ConnectionView> {
    return connectionView((await refreshConnection(this.ctx, tenantId, id, { actor, force: true })).conn);
  }

  refreshDue(now = this.ctx.now(), limit = 50): Promise<RefreshDueResult> {
    return refreshDue(this.ctx, now, limit);
  }

  async test(tenantId: string, id: string, actor: Actor): Promise<HealthCheck> {
    const { conn, creds } = await freshCredentials(this.ctx, tenantId, id, actor);
    const provider = resolveProvider(this.ctx.catalog, this.ctx.providers, conn.provider, conn.authMode, conn.config);
    const check = await checkHealth(provider, creds, this.ctx.http);
    await record(this.ctx, conn, 'connection.tested', actor, { ok: check.ok, status: check.status, latencyMs: check.latencyMs });
    return check;
  }

  /** Revokes at the provider where the catalog says how, then deletes; a failed revocation is reported, not fatal. */
  async remove(tenantId: string, id: string, actor: Actor): Promise<{ deleted: boolean; revocation: RevokeOutcome }> {
    const conn = await loadConnection(this.ctx, tenantId, id);
    let revocation: RevokeOutcome;
    try {
      const provider = resolveProvider(this.ctx.catalog, this.ctx.providers, conn.provider, conn.authMode, conn.config);
      revocation = await revokeAtProvider(provider, credentialsOf(this.ctx, conn), this.ctx.http);
    } catch (err) {
      revocation = { attempted: true, ok: false, error: (err as Error).message };
    }
    const deleted = await this.ctx.store.forTenant(tenantId).connections.delete(id);
    forget(this.ctx, tenantId, id);
    await record(this.ctx, conn, 'connection.revoked', actor, { revokedAtProvider: revocation.attempted && revocation.ok, revokeError: revocation.error ?? null }, 'connection.revoked');
    return { deleted, revocation };
  }
}
