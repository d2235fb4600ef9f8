import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

export type SyncSide = 'source' | 'target';

/**
 * Where a sync reads from next, per side. `watermark` moves only when a run
 * completes; `checkpoint` records, after each page, how far the run in
 * progress got, so an attempt that crashed resumes from its last page.
 */
export interface SyncCursor {
  side: SyncSide;
  watermark: string | null;
  runId: string | null;
  runSince: string | null;
  pageCursor: string | null;
  pagesDone: number;
}

export function syncCursorsRepo(db: Kysely<DB>, tenantId: string) {
  const where = (syncId: string, side: SyncSide) => db.updateTable('sync_cursors').where('tenant_id', '=', tenantId).where('sync_id', '=', syncId).where('side', '=', side);
  async function write(syncId: string, side: SyncSide, values: { watermark?: string | null; run_id: string | null; run_since: string | null; page_cursor: string | null; pages_done: number }, now: number): Promise<void> {
    // Runs of one sync are serialised by the queue's ordering key, so update-then-insert does not race.
    const { watermark, ...run } = values;
    const r = await where(syncId, side).set({ ...run, ...(watermark !== undefined ? { watermark } : {}), updated_at: now }).executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return;
    await db.insertInto('sync_cursors').values({ tenant_id: tenantId, sync_id: syncId, side, ...run, watermark: watermark ?? null, updated_at: now }).execute();
  }
  return {
    async get(syncId: string, side: SyncSide): Promise<SyncCursor> {
      const r = await db.selectFrom('sync_cursors').selectAll().where('tenant_id', '=', tenantId).where('sync_id', '=', syncId).where('side', '=', side).executeTakeFirst();
      return r
        ? { side, watermark: r.watermark, runId: r.run_id, runSince: r.run_since, pageCursor: r.page_cursor, pagesDone: r.pages_done }
        : { side, watermark: null, runId: null, runSince: null, pageCursor: null, pagesDone: 0 };
    },
    /** After a page: the run's position; the committed watermark is left alone. */
    async checkpoint(syncId: string, side: SyncSide, c: { runId: string; runSince: string | null; pageCursor: string | null; pagesDone: number }, now: number): Promise<void> {
      await write(syncId, side, { run_id: c.runId, run_since: c.runSince, page_cursor: c.pageCursor, pages_done: c.pagesDone }, now);
    },
    /** The run finished reading this side: the next run starts from `watermark`. */
    async commit(syncId: string, side: SyncSide, watermark: string | null, now: number): Promise<void> {
      await write(syncId, side, { watermark, run_id: null, run_since: null, page_cursor: null, pages_done: 0 }, now);
    },
    async reset(syncId: string): Promise<void> {
      await db.deleteFrom('sync_cursors').where('tenant_id', '=', tenantId).where('sync_id', '=', syncId).execute();
    },
  };
}
