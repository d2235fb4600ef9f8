import assert from 'node:assert/strict';
import pino from 'pino';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { startMonday } from '../../sandbox/monday/index.ts';
import type { RunningFake } from '../../sandbox/core/server.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { openCredentials, sealCredentials } from '../../src/connections/credentials.ts';
import { tokenView } from '../../src/connections/token.ts';
import { ConnectorRegistry } from '../../src/connectors/registry.ts';
import { ConnectorRuntime, type TokenProvider } from '../../src/connectors/runtime.ts';
import { connector as hubspot } from '../../src/connectors/hubspot/index.ts';
import { connector as monday } from '../../src/connectors/monday/index.ts';
import { newId } from '../../src/domain/ids.ts';
import { memoryNudger } from '../../src/queue/nudge.ts';
import { Queue } from '../../src/queue/queue.ts';
import { Worker } from '../../src/queue/worker.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import type { SyncRun } from '../../src/store/repos/sync-runs.ts';
import { MappingService } from '../../src/sync/mappings.ts';
import { ConflictService } from '../../src/sync/conflicts.ts';
import { RateWaitMeter } from '../../src/sync/rate-wait.ts';
import { SyncRunner } from '../../src/sync/runner.ts';
import { SyncService } from '../../src/sync/service.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { Vault } from '../../src/vault/index.ts';
import { KEY_A, ring } from '../../src/vault/test-kit.ts';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../helpers/databases.ts';
import { waitFor } from '../helpers/wait.ts';
import { HUBSPOT_OWNER_PROPERTY_SEED, MAPPING_FILE } from '../../examples/monday-hubspot/setup.ts';

/**
 * A sync test bench: a real store on the chosen dialect, the queue and a
 * worker, the connector runtime with the real HubSpot and Monday connectors,
 * and both sandbox fakes over HTTP. Connections are stored sealed by the
 * vault, exactly as the connections service stores api_key connections.
 */
export const silent = pino({ level: process.env.TEST_LOG ?? 'silent' });
export const CATALOG_DIR = new URL('../../catalog/', import.meta.url).pathname;
export const EXAMPLE_MAPPING = MAPPING_FILE;
export const noSecrets = { add: () => undefined, string: (s: string) => s };

export function vaultTokens(store: Store, vault: Vault): TokenProvider {
  const token = async (tenantId: string, id: string) => {
    const conn = await store.forTenant(tenantId).connections.get(id);
    assert.ok(conn, `connection ${id}`);
    const view = tokenView(openCredentials(vault, noSecrets, tenantId, id, conn.sealedCredentials));
    return { value: view.accessToken, type: view.tokenType };
  };
  return { token, refresh: token };
}

export async function storeConnection(store: Store, vault: Vault, tenantId: string, provider: string, apiKey: string, baseUrl: string): Promise<string> {
  const id = newId('connection');
  await store.forTenant(tenantId).connections.create({
    id, provider, externalId: `${provider}-${id.slice(-6)}`, authMode: 'api_key', expiresAt: null, nextRefreshAt: null, config: { baseUrl }, now: Date.now(),
    sealedCredentials: sealCredentials(vault, tenantId, id, { mode: 'api_key', secret: { apiKey } }),
  });
  return id;
}

export interface Bench {
  tdb: TestDatabase;
  handle: DatabaseHandle;
  store: Store;
  tenantId: string;
  vault: Vault;
  queue: Queue;
  worker: Worker;
  runtime: ConnectorRuntime;
  runner: SyncRunner;
  syncs: SyncService;
  mappings: MappingService;
  conflicts: ConflictService;
  registry: ConnectorRegistry;
  monday: RunningFake;
  hubspot: RunningFake;
  close: () => Promise<void>;
}

export async function startBench(dialect: TestDialect, opts: { startWorker?: boolean; leaseMs?: number } = {}): Promise<Bench> {
  const tdb = await createTestDatabase(dialect, 'sync');
  const handle = openDatabase(tdb.url, { poolMax: 8 });
  const store = createStore(handle);
  await migrateUp(handle.db);
  const tenantId = (await createTenant(store, 'sync', { id: 'test' })).id;
  const vault = new Vault(ring(KEY_A));
  const catalog = await loadCatalog(CATALOG_DIR);
  const registry = new ConnectorRegistry([hubspot, monday]);
  const meter = new RateWaitMeter();
  const runtime = new ConnectorRuntime({ store, catalog, registry, tokens: vaultTokens(store, vault), log: silent, onRateLimitWait: meter.onRateLimitWait });
  const queue = new Queue(memoryNudger());
  const runner = new SyncRunner({ store, queue, runtime, log: silent, meter, retrySchedule: [200, 500, 1_000, 2_000, 5_000] });
  queue.register(runner.jobKind());
  const worker = new Worker(store, queue, silent, { concurrency: 4, leaseMs: opts.leaseMs ?? 30_000, pollMs: 20 });
  if (opts.startWorker !== false) worker.start();
  const [mondayFake, hubspotFake] = await Promise.all([startMonday(), startHubSpot()]);
  // Deliveries retry on a scaled-down schedule; a test that never subscribes must not wait on them.
  return {
    tdb, handle, store, tenantId, vault, queue, worker, runtime, runner, registry,
    syncs: new SyncService({ store, registry, runner }), mappings: new MappingService(store),
    conflicts: new ConflictService({ store, runtime, log: silent }),
    monday: mondayFake, hubspot: hubspotFake,
    close: async () => {
      await worker.stop();
      await mondayFake.close();
      await hubspotFake.close();
      await handle.close();
      await tdb.drop();
    },
  };
}

export async function control(fake: RunningFake, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${fake.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function requests(fake: RunningFake): Promise<{ method: string; path: string; status: number; body?: any }[]> {
  return (await control(fake, 'GET', '/_sandbox/requests')).requests;
}

/** API calls that change data: HubSpot POSTs other than search, PATCH, DELETE; Monday GraphQL mutations. */
export function writesIn(log: { method: string; path: string; body?: any }[]): number {
  return log.filter((r) => {
    if (r.path.startsWith('/v2')) return typeof r.body?.query === 'string' && /^\s*mutation\b/.test(r.body.query);
    if (r.method === 'GET') return false;
    return !r.path.endsWith('/search');
  }).length;
}

/** Waits for a run to finish and returns it. */
export async function finished(b: Bench, runId: string, deadlineMs = 120_000): Promise<SyncRun> {
  let run: SyncRun | undefined;
  await waitFor(async () => {
    run = await b.store.forTenant(b.tenantId).syncRuns.get(runId);
    return run?.status === 'completed' || run?.status === 'failed';
  }, deadlineMs, 25);
  return run!;
}

export async function runSync(b: Bench, syncId: string, mode: 'full' | 'incremental' = 'incremental'): Promise<SyncRun> {
  const run = await b.syncs.run(b.tenantId, syncId, mode);
  const done = await finished(b, run.id);
  assert.equal(done.status, 'completed', `run ${done.id} ${done.status}: ${done.error ?? ''} ${JSON.stringify(done.failures.slice(0, 3))}`);
  return done;
}

export interface Scenario {
  boardId: string;
  mondayConn: string;
  hubspotConn: string;
  mappingId: string;
  syncId: string;
}

/** Fresh fakes, a Leads board of `items` generated items, both connections, the example mapping and a sync over them. */
export async function leadsScenario(b: Bench, items: number, sync: Record<string, unknown> = {}): Promise<Scenario> {
  const { readFileSync } = await import('node:fs');
  await Promise.all([control(b.monday, 'POST', '/_sandbox/reset'), control(b.hubspot, 'POST', '/_sandbox/reset')]);
  await control(b.monday, 'POST', '/_sandbox/seed', { generate: { boards: 1, items } });
  await control(b.hubspot, 'POST', '/_sandbox/seed', HUBSPOT_OWNER_PROPERTY_SEED);
  const state = await control(b.monday, 'GET', '/_sandbox/state');
  const boardId = String(state.boards.find((x: { name: string }) => x.name === 'Leads').id);
  const mondayConn = await storeConnection(b.store, b.vault, b.tenantId, 'monday', b.monday.credentials.apiToken!, `${b.monday.url}/v2`);
  const hubspotConn = await storeConnection(b.store, b.vault, b.tenantId, 'hubspot', b.hubspot.credentials.accessToken!, b.hubspot.url);
  const mapping = await b.mappings.create(b.tenantId, { spec: readFileSync(EXAMPLE_MAPPING, 'utf8') });
  const created = await b.syncs.create(b.tenantId, {
    name: 'leads', source: { connectionId: mondayConn, model: 'items', params: { boardId } }, target: { connectionId: hubspotConn, model: 'contacts' },
    mappingId: mapping.id, key: { matchField: 'email' }, pageSize: 500, ...sync,
  });
  return { boardId, mondayConn, hubspotConn, mappingId: mapping.id, syncId: created.id };
}

/** Live HubSpot contacts as the fake holds them, by email. */
export function contactsByEmail(b: Bench): Map<string, { id: string; properties: Record<string, string | null> }> {
  const state = b.hubspot.ctx.state as { records: { contacts: Map<string, { id: string; archived: boolean; properties: Record<string, string | null> }> } };
  const out = new Map<string, { id: string; properties: Record<string, string | null> }>();
  for (const r of state.records.contacts.values()) {
    if (r.archived) continue;
    const email = r.properties.email ?? '';
    assert.ok(!out.has(email), `two contacts hold ${email}`);
    out.set(email, r);
  }
  return out;
}

/** Items of the Monday fake as stored: name and raw column values. */
export function mondayItem(b: Bench, id: string): { name: string; values: Map<string, any> } {
  const state = b.monday.ctx.state as { items: Map<string, { name: string; values: Map<string, any> }> };
  const item = state.items.get(id);
  assert.ok(item, `monday item ${id}`);
  return item;
}

export function contact(b: Bench, id: string): Record<string, string | null> {
  const state = b.hubspot.ctx.state as { records: { contacts: Map<string, { properties: Record<string, string | null> }> } };
  const c = state.records.contacts.get(id);
  assert.ok(c, `contact ${id}`);
  return c.properties;
}

export async function clearLogs(b: Bench): Promise<void> {
  await Promise.all([control(b.monday, 'DELETE', '/_sandbox/requests'), control(b.hubspot, 'DELETE', '/_sandbox/requests')]);
}

export async function writeCounts(b: Bench): Promise<{ monday: number; hubspot: number }> {
  return { monday: writesIn(await requests(b.monday)), hubspot: writesIn(await requests(b.hubspot)) };
}

/** Changes as a user would in each UI (control routes; they fire webhooks when subscribed). */
export const edit = {
  monday: (b: Bench, itemId: string, body: { name?: string; column_values?: Record<string, unknown> }) => control(b.monday, 'PATCH', `/_sandbox/items/${itemId}`, body),
  hubspot: (b: Bench, contactId: string, properties: Record<string, string>) => control(b.hubspot, 'PATCH', `/_sandbox/hubspot/objects/contacts/${contactId}`, { properties }),
};
