import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, OutboxTable } from '../schema.ts';
import type { Capabilities } from '../dialect.ts';

export type OutboxRow = Selectable<OutboxTable>;

export interface NewOutboxEvent {
  id: string;
  tenantId: string;
  type: string;
  partitionKey: string;
  dedupKey: string;
  subject?: string | null;
  data: unknown;
  traceparent?: string | null;
  now: number;
}

/** A new outbox event as its table row. */
function outboxTableRow(e: NewOutboxEvent): OutboxTable {
  return {
    id: e.id, tenant_id: e.tenantId, type: e.type, partition_key: e.partitionKey, dedup_key: e.dedupKey,
    subject: e.subject ?? null, data: JSON.stringify(e.data), traceparent: e.traceparent ?? null,
    created_at: e.now, published_at: null, attempts: 0, next_attempt_at: e.now, last_error: null,
  };
}

/**
 * The outbox. `append` runs inside the caller's transaction. One relay at a
 * time (it holds the `outbox-relay` lease) reads due rows in id order; a row
 * waiting to be retried holds back the later rows of its partition.
 */
export function outboxRepo(db: Kysely<DB>, caps: Capabilities) {
  return {
    /**
     * Inserts events in one statement; one whose (tenant, dedup key) exists
     * is skipped (the cause already emitted it). Returns how many were new.
     */
    async append(events: NewOutboxEvent[]): Promise<number> {
      if (events.length === 0) return 0;
      const q = db.insertInto('outbox').values(events.map(outboxTableRow));
      const r = caps.skipLocked && !caps.returning
        ? await q.ignore().executeTakeFirst()
        : await q.onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n);
    },

    /** Due unpublished rows in id order, skipping partitions held back by an earlier row that is waiting. */
    async due(now: number, limit: number): Promise<OutboxRow[]> {
      return db.selectFrom('outbox').selectAll()
        .where('published_at', 'is', null).where('next_attempt_at', '<=', now)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('outbox as prior').select(sql.lit(1).as('one'))
          .whereRef('prior.partition_key', '=', 'outbox.partition_key')
          .whereRef('prior.id', '<', 'outbox.id')
          .where('prior.published_at', 'is', null)
          .where('prior.next_attempt_at', '>', now))))
        .orderBy('id').limit(limit).execute();
    },

    async markPublished(ids: string[], now: number): Promise<void> {
      if (ids.length === 0) return;
      await db.updateTable('outbox').set((eb) => ({ published_at: now, attempts: eb('attempts', '+', 1), last_error: null })).where('id', 'in', ids).execute();
    },

    /** A publish failed: try again at `nextAttemptAt`. */
    async failed(id: string, error: string, nextAttemptAt: number): Promise<void> {
      await db.updateTable('outbox').set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 2000), next_attempt_at: nextAttemptAt })).where('id', '=', id).execute();
    },

    /** Unpublished events and the age of the oldest (relay lag). */
    async backlog(now: number): Promise<{ unpublished: number; oldestAgeMs: number }> {
      const r = await db.selectFrom('outbox').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min<number>('created_at').as('t')])
        .where('published_at', 'is', null).executeTakeFirstOrThrow();
      return { unpublished: Number(r.n), oldestAgeMs: r.t === null || r.t === undefined ? 0 : now - Number(r.t) };
    },

    /** Deletes published events older than `before` (retention). */
    async purgePublished(before: number, limit = 10_000): Promise<number> {
      const ids = (await db.selectFrom('outbox').select('id').where('published_at', '<', before).limit(limit).execute()).map((r) => r.id);
      if (ids.length === 0) return 0;
      const r = await db.deleteFrom('outbox').where('id', 'in', ids).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** Tenant-facing reads of the outbox (event history in the API). */
export function outboxReadRepo(db: Kysely<DB>, tenantId: string) {
  return {
    async list(q: { type?: string; limit?: number; cursor?: string } = {}): Promise<OutboxRow[]> {
      let query = db.selectFrom('outbox').selectAll().where('tenant_id', '=', tenantId);
      if (q.type) query = query.where('type', '=', q.type);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return query.orderBy('id', 'desc').limit(q.limit ?? 50).execute();
    },
  };
}
