import type { Kysely, Selectable } from 'kysely';
import type { ConflictsTable, DB } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

/** A record changed on both sides since the last sync, kept for a person to decide (policy `manual`). */
export interface Conflict {
  id: string;
  tenantId: string;
  syncId: string;
  runId: string | null;
  sourceId: string;
  targetId: string;
  details: Record<string, unknown>;
  status: 'open' | 'resolved';
  resolution: Record<string, unknown> | null;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
}

const toConflict = (r: Selectable<ConflictsTable>): Conflict => ({
  id: r.id, tenantId: r.tenant_id, syncId: r.sync_id, runId: r.run_id, sourceId: r.source_id, targetId: r.target_id,
  details: JSON.parse(r.details) as Record<string, unknown>, status: r.status, resolution: r.resolution === null ? null : JSON.parse(r.resolution) as Record<string, unknown>,
  createdAt: r.created_at, updatedAt: r.updated_at, resolvedAt: r.resolved_at,
});

export interface ConflictFilter extends PageQuery {
  syncId?: string;
  status?: 'open' | 'resolved';
}

export function conflictsRepo(db: Kysely<DB>, tenantId: string) {
  const byTenant = () => db.selectFrom('conflicts').selectAll().where('tenant_id', '=', tenantId);
  return {
    async create(c: { id: string; syncId: string; runId: string | null; sourceId: string; targetId: string; details: Record<string, unknown>; now: number }): Promise<void> {
      await db.insertInto('conflicts').values({
        id: c.id, tenant_id: tenantId, sync_id: c.syncId, run_id: c.runId, source_id: c.sourceId, target_id: c.targetId,
        details: JSON.stringify(c.details), status: 'open', resolution: null, created_at: c.now, updated_at: c.now, resolved_at: null,
      }).execute();
    },
    async get(id: string): Promise<Conflict | undefined> {
      const r = await byTenant().where('id', '=', id).executeTakeFirst();
      return r && toConflict(r);
    },
    /** The open conflict of a record pair, if any: a new clash on the same pair refreshes it instead of piling up. */
    async openFor(syncId: string, sourceId: string): Promise<Conflict | undefined> {
      const r = await byTenant().where('sync_id', '=', syncId).where('source_id', '=', sourceId).where('status', '=', 'open').executeTakeFirst();
      return r && toConflict(r);
    },
    async refresh(id: string, details: Record<string, unknown>, runId: string | null, now: number): Promise<void> {
      await db.updateTable('conflicts').set({ details: JSON.stringify(details), run_id: runId, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async list(f: ConflictFilter = {}): Promise<Page<Conflict>> {
      const limit = f.limit ?? 50;
      let q = byTenant();
      if (f.syncId) q = q.where('sync_id', '=', f.syncId);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.cursor) q = q.where('id', '<', f.cursor);
      return page((await q.orderBy('id', 'desc').limit(limit + 1).execute()).map(toConflict), limit);
    },
    /** Marks an open conflict resolved; false when someone else resolved it first. */
    async resolve(id: string, resolution: Record<string, unknown>, now: number): Promise<boolean> {
      const r = await db.updateTable('conflicts').set({ status: 'resolved', resolution: JSON.stringify(resolution), resolved_at: now, updated_at: now })
        .where('tenant_id', '=', tenantId).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
