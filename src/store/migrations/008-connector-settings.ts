import type { Kysely } from 'kysely';

// Per-tenant connector switches (seed 003's feature flag): a connector a
// tenant turned off serves no model operations, proxy calls or syncs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('tenant_connectors')
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(40)', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_connectors_pk', ['tenant_id', 'provider'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_connectors').execute();
}
