import type { Kysely, Selectable } from 'kysely';
import type { DB, SyncsTable } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

/** One side of a sync: a stored connection, a connector model and its parameters. */
export interface SyncEndpoint {
  connectionId: string;
  model: string;
  params: Record<string, unknown>;
}

export interface SyncRow {
  id: string;
  tenantId: string;
  name: string;
  source: SyncEndpoint;
  target: SyncEndpoint;
  mappingId: string;
  mappingVersion: number | null;
  direction: 'one_way' | 'bidirectional';
  /** Key strategy, conflict policy, triggers, filters, delete policy: typed and checked by src/sync. */
  options: Record<string, unknown>;
  schedule: string | null;
  status: 'active' | 'paused';
  createdAt: number;
  updatedAt: number;
}

const toSync = (r: Selectable<SyncsTable>): SyncRow => ({
  id: r.id, tenantId: r.tenant_id, name: r.name, source: JSON.parse(r.source) as SyncEndpoint, target: JSON.parse(r.target) as SyncEndpoint,
  mappingId: r.mapping_id, mappingVersion: r.mapping_version, direction: r.direction, options: JSON.parse(r.options) as Record<string, unknown>,
  schedule: r.schedule, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at,
});

export type SyncPatch = Partial<Pick<SyncRow, 'name' | 'mappingId' | 'mappingVersion' | 'options' | 'schedule' | 'status'>>;

export function syncsRepo(db: Kysely<DB>, tenantId: string) {
  const byTenant = () => db.selectFrom('syncs').selectAll().where('tenant_id', '=', tenantId);
  return {
    async create(s: Omit<SyncRow, 'tenantId'>): Promise<void> {
      await db.insertInto('syncs').values({
        id: s.id, tenant_id: tenantId, name: s.name, source: JSON.stringify(s.source), target: JSON.stringify(s.target),
        mapping_id: s.mappingId, mapping_version: s.mappingVersion, direction: s.direction, options: JSON.stringify(s.options),
        schedule: s.schedule, status: s.status, created_at: s.createdAt, updated_at: s.updatedAt,
      }).execute();
    },
    async get(id: string): Promise<SyncRow | undefined> {
      const r = await byTenant().where('id', '=', id).executeTakeFirst();
      return r && toSync(r);
    },
    async list(q: PageQuery = {}): Promise<Page<SyncRow>> {
      const limit = q.limit ?? 50;
      let query = byTenant();
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return page((await query.orderBy('id', 'desc').limit(limit + 1).execute()).map(toSync), limit);
    },
    /** Every active sync of the tenant (webhook triggers pick theirs from these). */
    async active(): Promise<SyncRow[]> {
      return (await byTenant().where('status', '=', 'active').orderBy('id').execute()).map(toSync);
    },
    async update(id: string, patch: SyncPatch, now: number): Promise<boolean> {
      const r = await db.updateTable('syncs').set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.mappingId !== undefined ? { mapping_id: patch.mappingId } : {}),
        ...(patch.mappingVersion !== undefined ? { mapping_version: patch.mappingVersion } : {}),
        ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}),
        ...(patch.schedule !== undefined ? { schedule: patch.schedule } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        updated_at: now,
      }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(id: string): Promise<boolean> {
      const r = await db.deleteFrom('syncs').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

/** The scheduler's cross-tenant read: active syncs that have a cron schedule. */
export function syncScheduleRepo(db: Kysely<DB>) {
  return {
    async scheduled(): Promise<SyncRow[]> {
      return (await db.selectFrom('syncs').selectAll().where('status', '=', 'active').where('schedule', 'is not', null).orderBy('id').execute()).map(toSync);
    },
  };
}
