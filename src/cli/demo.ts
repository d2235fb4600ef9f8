import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import { startSandbox, type SandboxFake } from '../../sandbox/index.ts';
import { HUBSPOT_OWNER_PROPERTY_SEED, MAPPING_FILE, syncDefinition } from '../../examples/monday-hubspot/setup.ts';
import { loadCatalog } from '../catalog/index.ts';
import { ConnectionService } from '../connections/service.ts';
import { connector as hubspot } from '../connectors/hubspot/index.ts';
import { connector as monday } from '../connectors/monday/index.ts';
import { ConnectorRegistry } from '../connectors/registry.ts';
import { ConnectorRuntime, type TokenProvider } from '../connectors/runtime.ts';
import { Redactor } from '../observability/redact.ts';
import { memoryNudger } from '../queue/nudge.ts';
import { Queue } from '../queue/queue.ts';
import { Worker } from '../queue/worker.ts';
import { openDatabase } from '../store/dialect.ts';
import { migrateUp } from '../store/migrate.ts';
import { createStore, type Store } from '../store/store.ts';
import type { SyncRun } from '../store/repos/sync-runs.ts';
import { MappingService } from '../sync/mappings.ts';
import { RateWaitMeter } from '../sync/rate-wait.ts';
import { SyncRunner } from '../sync/runner.ts';
import { SyncService } from '../sync/service.ts';
import { createTenant } from '../tenancy/tenants.ts';
import { KeyRing, Vault, generateMasterKey } from '../vault/index.ts';
import { fail } from './fail.ts';

/**
 * `switchyard demo`: the Monday.com ↔ HubSpot story end to end with no
 * credentials. It starts the two provider fakes in-process, a hub core on a
 * temporary SQLite file (store, queue, worker, connector runtime, sync
 * engine), creates both connections and the reference sync
 * (examples/monday-hubspot), runs it, then edits each side and both at once
 * and prints what arrived where.
 */
export function registerDemoCommand(program: Command): void {
  program.command('demo')
    .description('run the Monday.com <-> HubSpot sync against local fakes and show each step')
    .option('--items <n>', 'leads on the Monday board', (v) => Number(v), 8)
    .action(async (opts: { items: number }) => runDemo(opts.items).then(() => process.exit(0), fail));
}

const say = (line = '') => process.stdout.write(`${line}\n`);

async function control(fake: SandboxFake, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${fake.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  if (!res.ok) throw new Error(`${fake.name} ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

export async function runDemo(items: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-demo-'));
  const sandbox = await startSandbox({ providers: ['hubspot', 'monday'], seed: 'none', basePort: 0 });
  const handle = openDatabase(`sqlite:${join(dir, 'demo.db')}`, { sqliteSynchronous: 'NORMAL' });
  const log = pino({ level: 'silent' });
  let worker: Worker | undefined;
  try {
    const fake = (name: string) => sandbox.fakes.find((f) => f.name === name)!;
    const [mondayFake, hubspotFake] = [fake('monday'), fake('hubspot')];
    await control(mondayFake, 'POST', '/_sandbox/seed', { generate: { boards: 1, items } });
    await control(hubspotFake, 'POST', '/_sandbox/seed', HUBSPOT_OWNER_PROPERTY_SEED);
    const boardId = String((await control(mondayFake, 'GET', '/_sandbox/state')).boards.find((b: { name: string }) => b.name === 'Leads').id);
    say(`Sandbox: Monday.com fake at ${mondayFake.url} (Leads board ${boardId}, ${items} items), HubSpot fake at ${hubspotFake.url} (no contacts)`);

    const store = createStore(handle);
    await migrateUp(handle.db);
    const tenant = await createTenant(store, 'demo', { id: 'cli' });
    const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
    const redactor = new Redactor();
    const connections = new ConnectionService({ store, vault: new Vault(new KeyRing([generateMasterKey()])), catalog, secrets: redactor });
    const actor = { id: 'cli' };
    const mondayConn = await connections.create(tenant.id, { provider: 'monday', externalId: 'demo-monday', authMode: 'api_key', config: { baseUrl: `${mondayFake.url}/v2` }, credentials: { apiKey: mondayFake.credentials.apiToken! } }, actor);
    const hubspotConn = await connections.create(tenant.id, { provider: 'hubspot', externalId: 'demo-hubspot', authMode: 'api_key', config: { baseUrl: hubspotFake.url }, credentials: { apiKey: hubspotFake.credentials.accessToken! } }, actor);
    say(`Connections: ${mondayConn.id} (monday, api_key), ${hubspotConn.id} (hubspot, api_key); credentials sealed in the vault`);

    const tokens: TokenProvider = {
      token: async (t, id) => ({ value: (await connections.token(t, id, actor)).accessToken, type: 'api_key' }),
      refresh: async (t, id) => ({ value: (await connections.token(t, id, actor)).accessToken, type: 'api_key' }),
    };
    const registry = new ConnectorRegistry([hubspot, monday]);
    const meter = new RateWaitMeter();
    const runtime = new ConnectorRuntime({ store, catalog, registry, tokens, log, onRateLimitWait: meter.onRateLimitWait });
    const queue = new Queue(memoryNudger());
    const runner = new SyncRunner({ store, queue, runtime, log, meter });
    queue.register(runner.jobKind());
    worker = new Worker(store, queue, log, { concurrency: 2, leaseMs: 30_000, pollMs: 20 });
    worker.start();
    const syncs = new SyncService({ store, registry, runner });
    const mapping = await new MappingService(store).create(tenant.id, { spec: readFileSync(MAPPING_FILE, 'utf8') });
    const sync = await syncs.create(tenant.id, { ...syncDefinition({ mondayConnectionId: mondayConn.id, hubspotConnectionId: hubspotConn.id, boardId, mappingId: mapping.id }), triggers: ['manual'], schedule: null });
    say(`Sync ${sync.id}: monday items -> hubspot contacts, ${sync.direction}, conflicts: ${sync.conflictPolicy}, key: email, mapping ${mapping.name} v${mapping.version}`);

    const run = async (mode: 'full' | 'incremental') => {
      const started = await syncs.run(tenant.id, sync.id, mode);
      for (;;) {
        const r = (await store.forTenant(tenant.id).syncRuns.get(started.id))!;
        if (r.status === 'completed' || r.status === 'failed') return report(r);
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    const t = store.forTenant(tenant.id);

    say('\n== Initial full run');
    await run('full');
    const links = await t.recordLinks.list(sync.id);
    const [a, bLink, c] = links;
    say(`   ${links.length} record links; e.g. Monday item ${a!.sourceId} <-> HubSpot contact ${a!.targetId}:`);
    await showPair(store, tenant.id, sync.id, mondayFake, hubspotFake, a!.sourceId, a!.targetId);

    const newStatus = statusLabel(mondayFake, a!.sourceId) === 'Qualified' ? 'Contacted' : 'Qualified';
    say(`\n== 1. A person edits a Monday item (company -> "Initech Europe", status -> ${newStatus})`);
    await control(mondayFake, 'PATCH', `/_sandbox/items/${a!.sourceId}`, { column_values: { company: 'Initech Europe', status: { label: newStatus } } });
    await run('incremental');
    await showPair(store, tenant.id, sync.id, mondayFake, hubspotFake, a!.sourceId, a!.targetId);

    say('\n== 2. A person edits the HubSpot contact (phone -> +14155550199, lifecycle stage -> other)');
    await control(hubspotFake, 'PATCH', `/_sandbox/hubspot/objects/contacts/${bLink!.targetId}`, { properties: { phone: '+14155550199', lifecyclestage: 'other' } });
    await run('incremental');
    await showPair(store, tenant.id, sync.id, mondayFake, hubspotFake, bLink!.sourceId, bLink!.targetId);

    say('\n== 3. Both sides change the same lead before the next sync (a conflict)');
    say('   Monday: company -> "Monday Corp", phone -> +12025550142');
    await control(mondayFake, 'PATCH', `/_sandbox/items/${c!.sourceId}`, { column_values: { company: 'Monday Corp', phone: { phone: '+12025550142', countryShortName: 'US' } } });
    await new Promise((res) => setTimeout(res, 10));
    say('   HubSpot: company -> "HubSpot Corp", last name -> "Changed"');
    await control(hubspotFake, 'PATCH', `/_sandbox/hubspot/objects/contacts/${c!.targetId}`, { properties: { company: 'HubSpot Corp', lastname: 'Changed' } });
    await run('incremental');
    const events = (await t.outbox.list({ type: 'conflict.created', limit: 5 }))[0];
    if (events) {
      const d = JSON.parse(events.data) as { policy: string; resolution: string; fields: string[] };
      say(`   conflict.created: policy ${d.policy}, resolution ${d.resolution}; fields changed on both sides: ${d.fields.join(', ')}`);
      say('   field_merge: each one-sided change is kept (Monday\'s phone, HubSpot\'s last name); the field changed on both sides (company) goes to the declared fallback side, the source');
    }
    await showPair(store, tenant.id, sync.id, mondayFake, hubspotFake, c!.sourceId, c!.targetId);

    say('\n== 4. A run with no changes writes nothing (our own writes are recognised by their hashes)');
    await Promise.all([control(mondayFake, 'DELETE', '/_sandbox/requests'), control(hubspotFake, 'DELETE', '/_sandbox/requests')]);
    await run('incremental');
    const writes = async (f: SandboxFake) => (await control(f, 'GET', '/_sandbox/requests')).requests.filter((r: { method: string; path: string; body?: { query?: string } }) =>
      r.path.startsWith('/v2') ? /^\s*mutation/.test(r.body?.query ?? '') : r.method !== 'GET' && !r.path.endsWith('/search')).length;
    say(`   writes: Monday ${await writes(mondayFake)}, HubSpot ${await writes(hubspotFake)}`);
    say('\nDone.');
  } finally {
    await worker?.stop();
    await handle.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: SyncRun): SyncRun {
  const p = r.progress;
  say(`   run ${r.id} (${r.mode}) ${r.status}: read ${p.read}, created ${p.created}, updated ${p.updated}, skipped ${p.skipped}, failed ${p.failed}, conflicts ${p.conflicts}, rate-limit wait ${p.rateLimitWaitMs} ms`);
  if (r.status !== 'completed') throw new Error(`run ${r.id} ${r.status}: ${r.error ?? ''}`);
  for (const f of r.failures.slice(0, 3)) say(`   failure ${f.side} ${f.id}: ${f.reason}`);
  return r;
}

function statusLabel(mondayFake: SandboxFake, itemId: string): string | undefined {
  const state = mondayFake.fake.ctx.state as { items: Map<string, { values: Map<string, any> }>; boards: Map<string, { columns: { id: string; settings: { labels?: Record<string, string> } }[] }> };
  const labels = [...state.boards.values()][0]?.columns.find((col) => col.id === 'status')?.settings.labels ?? {};
  const v = state.items.get(itemId)?.values.get('status');
  return labels[String(v?.index)] ?? v?.label;
}

async function showPair(_store: Store, _tenantId: string, _syncId: string, mondayFake: SandboxFake, hubspotFake: SandboxFake, itemId: string, contactId: string): Promise<void> {
  const item = (mondayFake.fake.ctx.state as { items: Map<string, { name: string; values: Map<string, any> }> }).items.get(itemId)!;
  const contact = (hubspotFake.fake.ctx.state as { records: { contacts: Map<string, { properties: Record<string, string | null> }> } }).records.contacts.get(contactId)!.properties;
  const v = (id: string) => item.values.get(id);
  say(`   Monday  ${itemId}: ${item.name} | ${v('email')?.email ?? ''} | ${v('phone')?.phone ?? ''} | ${statusLabel(mondayFake, itemId) ?? ''} | ${v('company') ?? ''} | owner ${v('owner')?.personsAndTeams?.[0]?.id ?? '-'}`);
  say(`   HubSpot ${contactId}: ${contact.firstname} ${contact.lastname ?? ''} | ${contact.email} | ${contact.phone ?? ''} | ${contact.lifecyclestage} | ${contact.company ?? ''} | owner ${contact.hubspot_owner_id ?? '-'}`);
}
