import { MysqlAdapter, type Kysely } from 'kysely';

// Every index on jobs and webhook_events is one more b-tree insert on the
// ingest path, which stores a job and an event per delivery.
// - webhook_events.job_id was indexed, but no query reads by it.
// - Webhook jobs have neither an ordering key nor a dedup key, so the two
//   indexes on those columns need no entry for them: they become partial
//   where the database has partial indexes (SQLite, PostgreSQL). MySQL has
//   none and keeps them whole. The queries that use them compare the column
//   to a value, which implies IS NOT NULL, so the planners still pick them.
const mysql = (db: Kysely<any>) => db.getExecutor().adapter instanceof MysqlAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  const drop = db.schema.dropIndex('webhook_events_job');
  await (mysql(db) ? drop.on('webhook_events') : drop).execute();
  if (mysql(db)) return;
  await db.schema.dropIndex('jobs_ordering').execute();
  await db.schema.createIndex('jobs_ordering').on('jobs').columns(['ordering_key', 'status', 'id']).where('ordering_key', 'is not', null).execute();
  await db.schema.dropIndex('jobs_dedup').execute();
  await db.schema.createIndex('jobs_dedup').on('jobs').columns(['tenant_id', 'kind', 'dedup_key']).unique().where('dedup_key', 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('webhook_events_job').on('webhook_events').columns(['job_id']).execute();
  if (mysql(db)) return;
  await db.schema.dropIndex('jobs_ordering').execute();
  await db.schema.createIndex('jobs_ordering').on('jobs').columns(['ordering_key', 'status', 'id']).execute();
  await db.schema.dropIndex('jobs_dedup').execute();
  await db.schema.createIndex('jobs_dedup').on('jobs').columns(['tenant_id', 'kind', 'dedup_key']).unique().execute();
}
