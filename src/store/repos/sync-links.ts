import type { Kysely, Selectable } from 'kysely';
import type { DB, RecordLinksTable } from '../schema.ts';

/**
 * A record link: which target record a source record became, and what each
 * side looked like (its mapped view and that view's hash) when they were last
 * in agreement. A change whose view hashes the same is no change: that is
 * how unchanged records are skipped and how our own writes are recognised
 * when they come back.
 */
export interface RecordLink {
  sourceId: string;
  targetId: string;
  sourceHash: string;
  targetHash: string;
  sourceView: Record<string, unknown>;
  targetView: Record<string, unknown>;
  sourceModifiedAt: number | null;
  targetModifiedAt: number | null;
  deletedSide: 'source' | 'target' | null;
  syncedAt: number;
}

const toLink = (r: Selectable<RecordLinksTable>): RecordLink => ({
  sourceId: r.source_id, targetId: r.target_id, sourceHash: r.source_hash, targetHash: r.target_hash,
  sourceView: JSON.parse(r.source_view) as Record<string, unknown>, targetView: JSON.parse(r.target_view) as Record<string, unknown>,
  sourceModifiedAt: r.source_modified_at, targetModifiedAt: r.target_modified_at, deletedSide: r.deleted_side, syncedAt: r.synced_at,
});

const IN_CHUNK = 500;
const INSERT_CHUNK = 50;

export function recordLinksRepo(db: Kysely<DB>, tenantId: string) {
  const base = (syncId: string) => db.selectFrom('record_links').selectAll().where('tenant_id', '=', tenantId).where('sync_id', '=', syncId);
  async function byColumn(syncId: string, column: 'source_id' | 'target_id', ids: readonly string[]): Promise<Map<string, RecordLink>> {
    const out = new Map<string, RecordLink>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const rows = await base(syncId).where(column, 'in', unique.slice(i, i + IN_CHUNK)).execute();
      for (const r of rows) out.set(column === 'source_id' ? r.source_id : r.target_id, toLink(r));
    }
    return out;
  }
  return {
    bySourceIds: (syncId: string, ids: readonly string[]) => byColumn(syncId, 'source_id', ids),
    byTargetIds: (syncId: string, ids: readonly string[]) => byColumn(syncId, 'target_id', ids),
    async insertMany(syncId: string, links: RecordLink[]): Promise<void> {
      for (let i = 0; i < links.length; i += INSERT_CHUNK) {
        await db.insertInto('record_links').values(links.slice(i, i + INSERT_CHUNK).map((l) => ({
          tenant_id: tenantId, sync_id: syncId, source_id: l.sourceId, target_id: l.targetId, source_hash: l.sourceHash, target_hash: l.targetHash,
          source_view: JSON.stringify(l.sourceView), target_view: JSON.stringify(l.targetView), source_modified_at: l.sourceModifiedAt,
          target_modified_at: l.targetModifiedAt, deleted_side: l.deletedSide, synced_at: l.syncedAt,
        }))).execute();
      }
    },
    async update(syncId: string, l: RecordLink): Promise<void> {
      await db.updateTable('record_links').set({
        target_id: l.targetId, source_hash: l.sourceHash, target_hash: l.targetHash, source_view: JSON.stringify(l.sourceView),
        target_view: JSON.stringify(l.targetView), source_modified_at: l.sourceModifiedAt, target_modified_at: l.targetModifiedAt,
        deleted_side: l.deletedSide, synced_at: l.syncedAt,
      }).where('tenant_id', '=', tenantId).where('sync_id', '=', syncId).where('source_id', '=', l.sourceId).execute();
    },
    async remove(syncId: string, sourceIds: readonly string[]): Promise<void> {
      for (let i = 0; i < sourceIds.length; i += IN_CHUNK) {
        await db.deleteFrom('record_links').where('tenant_id', '=', tenantId).where('sync_id', '=', syncId).where('source_id', 'in', sourceIds.slice(i, i + IN_CHUNK)).execute();
      }
    },
    async count(syncId: string): Promise<number> {
      const r = await db.selectFrom('record_links').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).where('sync_id', '=', syncId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Links in source-id order after `afterSourceId` (for listing and audits). */
    async list(syncId: string, q: { limit?: number; afterSourceId?: string } = {}): Promise<RecordLink[]> {
      let query = base(syncId);
      if (q.afterSourceId) query = query.where('source_id', '>', q.afterSourceId);
      return (await query.orderBy('source_id').limit(q.limit ?? 1000).execute()).map(toLink);
    },
  };
}
