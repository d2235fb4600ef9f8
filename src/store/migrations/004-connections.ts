import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('connections')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(40)', (c) => c.notNull())
    /** The caller's own name for the connection (Nango's connectionId): a customer id, an account name. */
    .addColumn('external_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('auth_mode', 'varchar(32)', (c) => c.notNull())
    /** Vault-sealed JSON of the credentials (tokens, keys); never stored in clear. */
    .addColumn('credentials', 'text', (c) => c.notNull())
    /** Bumped on every credential write: compare-and-set for refresh and key rotation. */
    .addColumn('credentials_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('expires_at', 'bigint')
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('last_refresh_error', 'text')
    .addColumn('refresh_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_refresh_at', 'bigint')
    /** Cross-process refresh lease: one refresher per connection on every dialect. */
    .addColumn('refresh_lock_by', 'varchar(100)')
    .addColumn('refresh_lock_until', 'bigint')
    .addColumn('last_refreshed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('connections_external').on('connections').columns(['tenant_id', 'provider', 'external_id']).unique().execute();
  await db.schema.createIndex('connections_tenant').on('connections').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('connections_refresh').on('connections').columns(['status', 'next_refresh_at']).execute();

  await db.schema.createTable('oauth_states')
    .addColumn('state', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(40)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(40)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(200)', (c) => c.notNull())
    /** Vault-sealed PKCE verifier. */
    .addColumn('code_verifier', 'text')
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text')
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_states_expiry').on('oauth_states').columns(['expires_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema.dropTable('connections').execute();
}
