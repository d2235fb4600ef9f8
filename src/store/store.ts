import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { ping, type Capabilities, type DatabaseHandle, type DialectKind } from './dialect.ts';
import { migrationsCurrent } from './migrate.ts';
import { tenantsRepo } from './repos/tenants.ts';
import { apiKeyLookupRepo, apiKeysRepo } from './repos/api-keys.ts';
import { auditLogRepo } from './repos/audit-log.ts';
import { jobsRepo, queueRepo } from './repos/jobs.ts';
import { webhookSourceLookupRepo, webhookSourcesRepo } from './repos/webhook-sources.ts';
import { webhookEventsRepo, webhookIngestRepo } from './repos/webhook-events.ts';
import { connectionMaintenanceRepo, connectionsRepo } from './repos/connections.ts';
import { oauthStatesRepo } from './repos/oauth-states.ts';
import { outboxReadRepo, outboxRepo } from './repos/outbox.ts';
import { leasesRepo } from './repos/leases.ts';
import { connectorSettingsRepo } from './repos/connector-settings.ts';
import { subscriptionConsumerRepo, subscriptionsRepo } from './repos/subscriptions.ts';
import { mappingsRepo } from './repos/mappings.ts';
import { syncScheduleRepo, syncsRepo } from './repos/sync-definitions.ts';
import { syncRunsRepo } from './repos/sync-runs.ts';
import { syncCursorsRepo } from './repos/sync-cursors.ts';
import { recordLinksRepo } from './repos/sync-links.ts';
import { conflictsRepo } from './repos/conflicts.ts';

/**
 * The repositories bound to one tenant. This is the only way to reach
 * tenant-owned tables, so a caller cannot forget the tenant filter.
 */
export function tenantRepos(db: Kysely<DB>, tenantId: string) {
  return {
    tenantId,
    apiKeys: apiKeysRepo(db, tenantId),
    auditLog: auditLogRepo(db, tenantId),
    jobs: jobsRepo(db, tenantId),
    webhookSources: webhookSourcesRepo(db, tenantId),
    webhookEvents: webhookEventsRepo(db, tenantId),
    connections: connectionsRepo(db, tenantId),
    outbox: outboxReadRepo(db, tenantId),
    subscriptions: subscriptionsRepo(db, tenantId),
    connectorSettings: connectorSettingsRepo(db, tenantId),
    mappings: mappingsRepo(db, tenantId),
    syncs: syncsRepo(db, tenantId),
    syncRuns: syncRunsRepo(db, tenantId),
    syncCursors: syncCursorsRepo(db, tenantId),
    recordLinks: recordLinksRepo(db, tenantId),
    conflicts: conflictsRepo(db, tenantId),
  };
}

export type TenantStore = ReturnType<typeof tenantRepos>;

export interface Store {
  kind: DialectKind;
  caps: Capabilities;
  tenants: ReturnType<typeof tenantsRepo>;
  apiKeyLookup: ReturnType<typeof apiKeyLookupRepo>;
  /** The worker side of the job queue (spans tenants). */
  queue: ReturnType<typeof queueRepo>;
  /** Ingest's cross-tenant reads and batch writes. */
  webhookSourceLookup: ReturnType<typeof webhookSourceLookupRepo>;
  webhookIngest: ReturnType<typeof webhookIngestRepo>;
  /** Background refresh and key rotation across tenants. */
  connectionMaintenance: ReturnType<typeof connectionMaintenanceRepo>;
  /** The OAuth callback finds its tenant through the state. */
  oauthStates: ReturnType<typeof oauthStatesRepo>;
  /** Domain events: appended in the caller's transaction, claimed by relays. */
  outbox: ReturnType<typeof outboxRepo>;
  /** Named leases for one-at-a-time work (relay, scheduler). */
  leases: ReturnType<typeof leasesRepo>;
  /** Bus consumers load every active subscription. */
  subscriptionConsumer: ReturnType<typeof subscriptionConsumerRepo>;
  /** The sync scheduler reads every scheduled sync across tenants. */
  syncSchedules: ReturnType<typeof syncScheduleRepo>;
  forTenant: (tenantId: string) => TenantStore;
  /** Runs `fn` in one transaction; everything written through `tx` commits or rolls back together. */
  transaction: <T>(fn: (tx: Store) => Promise<T>) => Promise<T>;
  ping: () => Promise<void>;
  migrationsCurrent: () => Promise<boolean>;
}

function bind(db: Kysely<DB>, handle: Pick<DatabaseHandle, 'kind' | 'caps'>, inTx: boolean): Store {
  const store: Store = {
    kind: handle.kind,
    caps: handle.caps,
    tenants: tenantsRepo(db),
    apiKeyLookup: apiKeyLookupRepo(db),
    queue: queueRepo(db, handle.caps),
    webhookSourceLookup: webhookSourceLookupRepo(db),
    webhookIngest: webhookIngestRepo(db),
    connectionMaintenance: connectionMaintenanceRepo(db),
    oauthStates: oauthStatesRepo(db),
    outbox: outboxRepo(db, handle.caps),
    leases: leasesRepo(db),
    subscriptionConsumer: subscriptionConsumerRepo(db),
    syncSchedules: syncScheduleRepo(db),
    forTenant: (tenantId) => tenantRepos(db, tenantId),
    transaction: (fn) => (inTx ? fn(store) : db.transaction().execute((trx) => fn(bind(trx, handle, true)))),
    ping: () => ping(db),
    migrationsCurrent: () => migrationsCurrent(db),
  };
  return store;
}

export function createStore(handle: DatabaseHandle): Store {
  return bind(handle.db, handle, false);
}
