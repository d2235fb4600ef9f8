/**
 * Row types of every table, as Kysely sees them. Times are epoch
 * milliseconds in BIGINT columns: they sort, compare and index the same way
 * on SQLite, PostgreSQL and MySQL, with no time-zone surprises.
 */
export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  salt: string;
  hash: string;
  /** JSON array of scope strings. */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string;
  actor: string;
  action: string;
  target: string | null;
  request_id: string | null;
  /** JSON object; never holds secret values. */
  details: string | null;
  at: number;
}

export interface DB {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}
