import { sql, type Kysely } from 'kysely';

/** Raw webhook bodies are bytes, not text: a provider may send anything. */
function bytesType(db: Kysely<any>) {
  const name = db.getExecutor().adapter.constructor.name;
  if (name.startsWith('Postgres')) return sql`bytea`;
  if (name.startsWith('Mysql')) return sql`longblob`;
  return sql`blob`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('webhook_sources')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(40)', (c) => c.notNull())
    .addColumn('scheme', 'varchar(40)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('rate_limit_per_sec', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_sources_tenant').on('webhook_sources').columns(['tenant_id', 'id']).execute();

  await db.schema.createTable('webhook_events')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('source_id', 'varchar(40)', (c) => c.notNull().references('webhook_sources.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(40)', (c) => c.notNull())
    .addColumn('event_type', 'varchar(200)', (c) => c.notNull())
    .addColumn('dedup_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('job_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('body', bytesType(db), (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  // Dedup: a delivery is stored once per source. dedup_key leads so a batch can look keys up with IN.
  await db.schema.createIndex('webhook_events_dedup').on('webhook_events').columns(['dedup_key', 'source_id']).unique().execute();
  await db.schema.createIndex('webhook_events_tenant').on('webhook_events').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('webhook_events_source').on('webhook_events').columns(['tenant_id', 'source_id', 'id']).execute();
  await db.schema.createIndex('webhook_events_job').on('webhook_events').columns(['job_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_events').execute();
  await db.schema.dropTable('webhook_sources').execute();
}
