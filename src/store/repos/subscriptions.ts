import type { Kysely, Selectable } from 'kysely';
import type { DB, SubscriptionsTable } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

export interface Subscription {
  id: string;
  tenantId: string;
  name: string;
  eventTypes: string;
  filter: Record<string, unknown>;
  action: Record<string, unknown>;
  /** Vault-sealed. */
  sealedSecret: string | null;
  status: 'active' | 'paused';
  createdAt: number;
  updatedAt: number;
}

const toSubscription = (r: Selectable<SubscriptionsTable>): Subscription => ({
  id: r.id, tenantId: r.tenant_id, name: r.name, eventTypes: r.event_types,
  filter: JSON.parse(r.filter) as Record<string, unknown>, action: JSON.parse(r.action) as Record<string, unknown>,
  sealedSecret: r.secret, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at,
});

export function subscriptionsRepo(db: Kysely<DB>, tenantId: string) {
  return {
    async create(s: Omit<Subscription, 'tenantId'>): Promise<void> {
      await db.insertInto('subscriptions').values({
        id: s.id, tenant_id: tenantId, name: s.name, event_types: s.eventTypes, filter: JSON.stringify(s.filter),
        action: JSON.stringify(s.action), secret: s.sealedSecret, status: s.status, created_at: s.createdAt, updated_at: s.updatedAt,
      }).execute();
    },
    async get(id: string): Promise<Subscription | undefined> {
      const r = await db.selectFrom('subscriptions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && toSubscription(r);
    },
    async list(q: PageQuery = {}): Promise<Page<Subscription>> {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('subscriptions').selectAll().where('tenant_id', '=', tenantId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return page((await query.orderBy('id', 'desc').limit(limit + 1).execute()).map(toSubscription), limit);
    },
    async update(id: string, patch: Partial<Pick<Subscription, 'name' | 'eventTypes' | 'filter' | 'action' | 'sealedSecret' | 'status'>>, now: number): Promise<boolean> {
      const r = await db.updateTable('subscriptions').set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.eventTypes !== undefined ? { event_types: patch.eventTypes } : {}),
        ...(patch.filter !== undefined ? { filter: JSON.stringify(patch.filter) } : {}),
        ...(patch.action !== undefined ? { action: JSON.stringify(patch.action) } : {}),
        ...(patch.sealedSecret !== undefined ? { secret: patch.sealedSecret } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        updated_at: now,
      }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(id: string): Promise<boolean> {
      const r = await db.deleteFrom('subscriptions').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

/** The consumer side: every active subscription, across tenants, and a cheap change marker. */
export function subscriptionConsumerRepo(db: Kysely<DB>) {
  return {
    async active(): Promise<Subscription[]> {
      return (await db.selectFrom('subscriptions').selectAll().where('status', '=', 'active').orderBy('id').execute()).map(toSubscription);
    },
    async byId(id: string): Promise<Subscription | undefined> {
      const r = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toSubscription(r);
    },
    /** Sealed secrets in id order after `afterId`, for master-key rotation. */
    async sealedAfter(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
      const rows = await db.selectFrom('subscriptions').select(['id', 'secret']).where('id', '>', afterId).where('secret', 'is not', null).orderBy('id').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, sealed: r.secret! }));
    },
    async replaceSealed(id: string, oldSealed: string, newSealed: string): Promise<boolean> {
      const r = await db.updateTable('subscriptions').set({ secret: newSealed }).where('id', '=', id).where('secret', '=', oldSealed).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Changes when any subscription is created, changed or deleted (count and newest update). */
    async version(): Promise<string> {
      const r = await db.selectFrom('subscriptions').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max<number>('updated_at').as('t')]).executeTakeFirstOrThrow();
      return `${Number(r.n)}:${r.t ?? 0}`;
    },
  };
}
