import type { Kysely } from 'kysely';

// One durable queue for every job kind (webhook processing, sync runs,
// exports, refreshes). Status lives here and nowhere else; a webhook event's
// status is its job's status.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('jobs')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('ordering_key', 'varchar(200)')
    .addColumn('dedup_key', 'varchar(200)')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_by', 'varchar(100)')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  // The claim scans due jobs by status and time.
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  // FIFO per ordering key looks for earlier unfinished jobs with the same key.
  await db.schema.createIndex('jobs_ordering').on('jobs').columns(['ordering_key', 'status', 'id']).execute();
  // A dedup key (e.g. one cron tick) is enqueued once per tenant and kind.
  await db.schema.createIndex('jobs_dedup').on('jobs').columns(['tenant_id', 'kind', 'dedup_key']).unique().execute();
  await db.schema.createIndex('jobs_tenant').on('jobs').columns(['tenant_id', 'kind', 'status', 'id']).execute();

  await db.schema.createTable('job_attempts')
    .addColumn('job_id', 'varchar(40)', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('worker', 'varchar(100)', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('outcome', 'varchar(16)')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('job_attempts_pk', ['job_id', 'attempt'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_attempts').execute();
  await db.schema.dropTable('jobs').execute();
}
