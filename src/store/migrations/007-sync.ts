import type { Kysely } from 'kysely';

// The sync engine's state: mappings (versioned specs), sync definitions, runs
// with persisted progress, per-side cursors with the in-run checkpoint,
// record links carrying the last synced view of each side (the content hashes
// that skip unchanged records and stop echoes), and stored conflicts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('mappings')
    .addColumn('id', 'varchar(40)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    /** The validated spec as JSON (YAML input is stored parsed). */
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mappings_pk', ['id', 'version'])
    .execute();
  await db.schema.createIndex('mappings_tenant').on('mappings').columns(['tenant_id', 'id', 'version']).execute();

  await db.schema.createTable('syncs')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    /** JSON `{ connectionId, model, params }` for each side. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('mapping_id', 'varchar(40)', (c) => c.notNull())
    /** Pinned mapping version; null follows the newest. */
    .addColumn('mapping_version', 'integer')
    .addColumn('direction', 'varchar(16)', (c) => c.notNull())
    /** JSON: the key strategy, conflict policy, triggers, filters and delete policy. */
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('schedule', 'varchar(100)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('syncs_tenant').on('syncs').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('syncs_schedule').on('syncs').columns(['status', 'schedule']).execute();

  await db.schema.createTable('sync_runs')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('sync_id', 'varchar(40)', (c) => c.notNull().references('syncs.id').onDelete('cascade'))
    .addColumn('job_id', 'varchar(40)')
    /** full | incremental | records */
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('triggered_by', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('phase', 'varchar(32)', (c) => c.notNull())
    /** JSON counters (pages, read, created, updated, skipped, failed, conflicts, deleted, rateLimitWaitMs). */
    .addColumn('progress', 'text', (c) => c.notNull())
    /** JSON list of per-record failures (capped), each with the record id and the reason. */
    .addColumn('failures', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_runs_sync').on('sync_runs').columns(['tenant_id', 'sync_id', 'id']).execute();

  // One row per (sync, side): the committed watermark, and the checkpoint of
  // the run in progress (its id, the watermark it read from, the page cursor).
  await db.schema.createTable('sync_cursors')
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('sync_id', 'varchar(40)', (c) => c.notNull().references('syncs.id').onDelete('cascade'))
    .addColumn('side', 'varchar(8)', (c) => c.notNull())
    .addColumn('watermark', 'text')
    .addColumn('run_id', 'varchar(40)')
    .addColumn('run_since', 'text')
    .addColumn('page_cursor', 'text')
    .addColumn('pages_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_cursors_pk', ['sync_id', 'side'])
    .execute();

  await db.schema.createTable('record_links')
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('sync_id', 'varchar(40)', (c) => c.notNull().references('syncs.id').onDelete('cascade'))
    .addColumn('source_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(200)', (c) => c.notNull())
    /** Hash and JSON of each side's mapped view (target-shaped) at the last sync. */
    .addColumn('source_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_view', 'text', (c) => c.notNull())
    .addColumn('target_view', 'text', (c) => c.notNull())
    .addColumn('source_modified_at', 'bigint')
    .addColumn('target_modified_at', 'bigint')
    /** Set when one side was deleted and the delete policy kept the other. */
    .addColumn('deleted_side', 'varchar(8)')
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_links_pk', ['sync_id', 'source_id'])
    .execute();
  await db.schema.createIndex('record_links_target').on('record_links').columns(['sync_id', 'target_id']).unique().execute();
  await db.schema.createIndex('record_links_tenant').on('record_links').columns(['tenant_id', 'sync_id']).execute();

  await db.schema.createTable('conflicts')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('sync_id', 'varchar(40)', (c) => c.notNull().references('syncs.id').onDelete('cascade'))
    .addColumn('run_id', 'varchar(40)')
    .addColumn('source_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(200)', (c) => c.notNull())
    /** JSON: both records as read, both mapped views, and the fields changed on both sides. */
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema.createIndex('conflicts_tenant').on('conflicts').columns(['tenant_id', 'status', 'id']).execute();
  await db.schema.createIndex('conflicts_pair').on('conflicts').columns(['sync_id', 'source_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['conflicts', 'record_links', 'sync_cursors', 'sync_runs', 'syncs', 'mappings']) await db.schema.dropTable(t).execute();
}
