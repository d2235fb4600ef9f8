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

export type JobStatus = 'pending' | 'processing' | 'completed' | 'retrying' | 'dead';

export interface JobsTable {
  id: string;
  tenant_id: string;
  kind: string;
  /** JSON `{ kind, v, ... }`. */
  payload: string;
  status: JobStatus;
  ordering_key: string | null;
  dedup_key: string | null;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface JobAttemptsTable {
  job_id: string;
  attempt: number;
  worker: string;
  started_at: number;
  finished_at: number | null;
  outcome: 'completed' | 'failed' | 'lost' | null;
  error: string | null;
}

export interface WebhookSourcesTable {
  id: string;
  tenant_id: string;
  provider: string;
  scheme: string;
  name: string;
  /** JSON array of signing secrets, newest first. */
  secrets: string;
  /** JSON object of scheme options. */
  options: string;
  status: 'active' | 'disabled';
  rate_limit_per_sec: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookEventsTable {
  id: string;
  tenant_id: string;
  source_id: string;
  provider: string;
  event_type: string;
  dedup_key: string;
  job_id: string;
  body: Buffer;
  /** JSON object of the request headers, minus credentials. */
  headers: string;
  received_at: number;
}

export type ConnectionStatus = 'active' | 'needs_reauth' | 'error' | 'revoked';

export interface ConnectionsTable {
  id: string;
  tenant_id: string;
  provider: string;
  external_id: string;
  auth_mode: string;
  credentials: string;
  credentials_version: number;
  expires_at: number | null;
  config: string;
  status: ConnectionStatus;
  last_refresh_error: string | null;
  refresh_failures: number;
  next_refresh_at: number | null;
  refresh_lock_by: string | null;
  refresh_lock_until: number | null;
  last_refreshed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OAuthStatesTable {
  state: string;
  tenant_id: string;
  provider: string;
  external_id: string;
  code_verifier: string | null;
  redirect_uri: string;
  return_to: string | null;
  config: string;
  expires_at: number;
  created_at: number;
}

export interface OutboxTable {
  id: string;
  tenant_id: string;
  type: string;
  partition_key: string;
  dedup_key: string;
  subject: string | null;
  /** JSON of the event's data. */
  data: string;
  traceparent: string | null;
  created_at: number;
  published_at: number | null;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string | null;
  until: number;
}

export interface SubscriptionsTable {
  id: string;
  tenant_id: string;
  name: string;
  event_types: string;
  filter: string;
  action: string;
  secret: string | null;
  status: 'active' | 'paused';
  created_at: number;
  updated_at: number;
}

export interface MappingsTable {
  id: string;
  version: number;
  tenant_id: string;
  name: string;
  spec: string;
  created_at: number;
}

export interface SyncsTable {
  id: string;
  tenant_id: string;
  name: string;
  source: string;
  target: string;
  mapping_id: string;
  mapping_version: number | null;
  direction: 'one_way' | 'bidirectional';
  options: string;
  schedule: string | null;
  status: 'active' | 'paused';
  created_at: number;
  updated_at: number;
}

export type SyncRunStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface SyncRunsTable {
  id: string;
  tenant_id: string;
  sync_id: string;
  job_id: string | null;
  mode: 'full' | 'incremental' | 'records';
  triggered_by: string;
  status: SyncRunStatus;
  phase: string;
  progress: string;
  failures: string;
  error: string | null;
  attempts: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface SyncCursorsTable {
  tenant_id: string;
  sync_id: string;
  side: 'source' | 'target';
  watermark: string | null;
  run_id: string | null;
  run_since: string | null;
  page_cursor: string | null;
  pages_done: number;
  updated_at: number;
}

export interface RecordLinksTable {
  tenant_id: string;
  sync_id: string;
  source_id: string;
  target_id: string;
  source_hash: string;
  target_hash: string;
  source_view: string;
  target_view: string;
  source_modified_at: number | null;
  target_modified_at: number | null;
  deleted_side: 'source' | 'target' | null;
  synced_at: number;
}

export interface ConflictsTable {
  id: string;
  tenant_id: string;
  sync_id: string;
  run_id: string | null;
  source_id: string;
  target_id: string;
  details: string;
  status: 'open' | 'resolved';
  resolution: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
}

export interface TenantConnectorsTable {
  tenant_id: string;
  provider: string;
  /** 1 or 0: booleans are integers on every dialect. */
  enabled: number;
  updated_at: number;
}

export interface DB {
  tenant_connectors: TenantConnectorsTable;
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  job_attempts: JobAttemptsTable;
  webhook_sources: WebhookSourcesTable;
  webhook_events: WebhookEventsTable;
  connections: ConnectionsTable;
  oauth_states: OAuthStatesTable;
  outbox: OutboxTable;
  leases: LeasesTable;
  subscriptions: SubscriptionsTable;
  mappings: MappingsTable;
  syncs: SyncsTable;
  sync_runs: SyncRunsTable;
  sync_cursors: SyncCursorsTable;
  record_links: RecordLinksTable;
  conflicts: ConflictsTable;
}
