import type { Kysely, Selectable } from 'kysely';
import type { ConnectionStatus, ConnectionsTable, DB } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

export interface Connection {
  id: string;
  tenantId: string;
  provider: string;
  externalId: string;
  authMode: string;
  /** Vault-sealed; only the connections service opens it. */
  sealedCredentials: string;
  credentialsVersion: number;
  expiresAt: number | null;
  config: Record<string, unknown>;
  status: ConnectionStatus;
  lastRefreshError: string | null;
  refreshFailures: number;
  nextRefreshAt: number | null;
  lastRefreshedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const toConnection = (r: Selectable<ConnectionsTable>): Connection => ({
  id: r.id, tenantId: r.tenant_id, provider: r.provider, externalId: r.external_id, authMode: r.auth_mode,
  sealedCredentials: r.credentials, credentialsVersion: r.credentials_version, expiresAt: r.expires_at,
  config: JSON.parse(r.config) as Record<string, unknown>, status: r.status, lastRefreshError: r.last_refresh_error,
  refreshFailures: r.refresh_failures, nextRefreshAt: r.next_refresh_at, lastRefreshedAt: r.last_refreshed_at,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

export interface NewConnection {
  id: string;
  provider: string;
  externalId: string;
  authMode: string;
  sealedCredentials: string;
  expiresAt: number | null;
  nextRefreshAt: number | null;
  config: Record<string, unknown>;
  now: number;
}

export interface ConnectionFilter extends PageQuery {
  provider?: string;
  status?: ConnectionStatus;
  externalId?: string;
}

export function connectionsRepo(db: Kysely<DB>, tenantId: string) {
  const byTenant = () => db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId);
  return {
    async create(c: NewConnection): Promise<void> {
      await db.insertInto('connections').values({
        id: c.id, tenant_id: tenantId, provider: c.provider, external_id: c.externalId, auth_mode: c.authMode,
        credentials: c.sealedCredentials, credentials_version: 1, expires_at: c.expiresAt, config: JSON.stringify(c.config),
        status: 'active', last_refresh_error: null, refresh_failures: 0, next_refresh_at: c.nextRefreshAt,
        refresh_lock_by: null, refresh_lock_until: null, last_refreshed_at: null, created_at: c.now, updated_at: c.now,
      }).execute();
    },
    async get(id: string): Promise<Connection | undefined> {
      const r = await byTenant().where('id', '=', id).executeTakeFirst();
      return r && toConnection(r);
    },
    async byExternalId(provider: string, externalId: string): Promise<Connection | undefined> {
      const r = await byTenant().where('provider', '=', provider).where('external_id', '=', externalId).executeTakeFirst();
      return r && toConnection(r);
    },
    async list(f: ConnectionFilter = {}): Promise<Page<Connection>> {
      const limit = f.limit ?? 50;
      let q = byTenant();
      if (f.provider) q = q.where('provider', '=', f.provider);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.externalId) q = q.where('external_id', '=', f.externalId);
      if (f.cursor) q = q.where('id', '<', f.cursor);
      return page((await q.orderBy('id', 'desc').limit(limit + 1).execute()).map(toConnection), limit);
    },
    /**
     * Replaces the credentials only if nobody else did since `expectedVersion`
     * (compare-and-set). Tokens and a rotated refresh token land together.
     */
    async writeCredentials(id: string, expectedVersion: number, w: { sealedCredentials: string; expiresAt: number | null; nextRefreshAt: number | null; now: number; refreshed?: boolean; config?: Record<string, unknown> }): Promise<boolean> {
      const r = await db.updateTable('connections').set((eb) => ({
        credentials: w.sealedCredentials, credentials_version: eb('credentials_version', '+', 1), expires_at: w.expiresAt,
        next_refresh_at: w.nextRefreshAt, updated_at: w.now, status: 'active', last_refresh_error: null, refresh_failures: 0,
        ...(w.refreshed ? { last_refreshed_at: w.now } : {}),
        ...(w.config ? { config: JSON.stringify(w.config) } : {}),
      })).where('tenant_id', '=', tenantId).where('id', '=', id).where('credentials_version', '=', expectedVersion).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async recordRefreshFailure(id: string, error: string, status: ConnectionStatus, nextRefreshAt: number | null, now: number): Promise<void> {
      await db.updateTable('connections').set((eb) => ({
        last_refresh_error: error.slice(0, 2000), refresh_failures: eb('refresh_failures', '+', 1), status, next_refresh_at: nextRefreshAt, updated_at: now,
      })).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async setStatus(id: string, status: ConnectionStatus, now: number): Promise<boolean> {
      const r = await db.updateTable('connections').set({ status, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async updateConfig(id: string, config: Record<string, unknown>, now: number): Promise<boolean> {
      const r = await db.updateTable('connections').set({ config: JSON.stringify(config), updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /**
     * Takes the refresh lease if it is free or expired. Works the same on
     * every dialect: one conditional UPDATE, and the row count says who won.
     */
    async tryLockRefresh(id: string, holder: string, until: number, now: number): Promise<boolean> {
      const r = await db.updateTable('connections').set({ refresh_lock_by: holder, refresh_lock_until: until })
        .where('tenant_id', '=', tenantId).where('id', '=', id)
        .where((eb) => eb.or([eb('refresh_lock_until', 'is', null), eb('refresh_lock_until', '<', now), eb('refresh_lock_by', '=', holder)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async unlockRefresh(id: string, holder: string): Promise<void> {
      await db.updateTable('connections').set({ refresh_lock_by: null, refresh_lock_until: null })
        .where('tenant_id', '=', tenantId).where('id', '=', id).where('refresh_lock_by', '=', holder).execute();
    },
    async delete(id: string): Promise<boolean> {
      const r = await db.deleteFrom('connections').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

/** Cross-tenant reads for background work: proactive refresh and master-key rotation. */
export function connectionMaintenanceRepo(db: Kysely<DB>) {
  return {
    /** Active connections whose refresh time has come, oldest first. */
    async dueForRefresh(now: number, limit: number): Promise<{ id: string; tenantId: string }[]> {
      const rows = await db.selectFrom('connections').select(['id', 'tenant_id']).where('status', '=', 'active')
        .where('next_refresh_at', '<=', now).orderBy('next_refresh_at').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
    },
    /** Sealed credentials in id order after `afterId`, for re-wrapping under a new master key. */
    async sealedAfter(afterId: string, limit: number): Promise<{ id: string; tenantId: string; sealed: string; version: number }[]> {
      const rows = await db.selectFrom('connections').select(['id', 'tenant_id', 'credentials', 'credentials_version'])
        .where('id', '>', afterId).orderBy('id').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, sealed: r.credentials, version: r.credentials_version }));
    },
    /** Swaps a sealed value only if it is still the one that was read (CAS on the sealed text). */
    async replaceSealed(id: string, oldSealed: string, newSealed: string): Promise<boolean> {
      const r = await db.updateTable('connections').set({ credentials: newSealed }).where('id', '=', id).where('credentials', '=', oldSealed).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
