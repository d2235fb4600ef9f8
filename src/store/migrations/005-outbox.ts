import type { Kysely } from 'kysely';

// Domain events, written in the same transaction as the change that causes
// them; one relay at a time (holding the `outbox-relay` lease) publishes them
// to the bus in order per partition key.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('outbox')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('type', 'varchar(100)', (c) => c.notNull())
    .addColumn('partition_key', 'varchar(200)', (c) => c.notNull())
    /** One event per cause: a retried handler or job writes the same key and is ignored. */
    .addColumn('dedup_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('subject', 'varchar(200)')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('traceparent', 'varchar(100)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['published_at', 'next_attempt_at', 'id']).execute();
  await db.schema.createIndex('outbox_partition').on('outbox').columns(['partition_key', 'published_at', 'id']).execute();
  await db.schema.createIndex('outbox_dedup').on('outbox').columns(['tenant_id', 'dedup_key']).unique().execute();

  // Named leases for work that one process at a time must do (the relay, the scheduler).
  await db.schema.createTable('leases')
    .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('holder', 'varchar(100)')
    .addColumn('until', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leases').execute();
  await db.schema.dropTable('outbox').execute();
}
