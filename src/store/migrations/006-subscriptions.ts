import type { Kysely } from 'kysely';

// Tenant subscriptions to domain events on the bus, each with one action.
// Deliveries are jobs (kind `subscription.deliver`), so retries, dead letters
// and replay come from the queue.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('subscriptions')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    /** Event-type pattern within the tenant's topics, e.g. `request.*` or `webhook.>`. */
    .addColumn('event_types', 'varchar(200)', (c) => c.notNull())
    /** JSON filter on the event (see src/events/subscriptions/filter.ts). */
    .addColumn('filter', 'text', (c) => c.notNull())
    /** JSON action: webhook forward, connector operation through a mapping, sync trigger. */
    .addColumn('action', 'text', (c) => c.notNull())
    /** Vault-sealed secret for signing forwarded webhooks, when the action has one. */
    .addColumn('secret', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_tenant').on('subscriptions').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('subscriptions_status').on('subscriptions').columns(['status', 'updated_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscriptions').execute();
}
