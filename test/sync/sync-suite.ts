import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { connector as mondayConnector } from '../../src/connectors/monday/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import type { ChangePage, ConnectorContext, RecordChange } from '../../src/connectors/types.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { parseSpecText } from '../../src/transform/index.ts';
import { compileSyncMapping, type SyncMapping } from '../../src/sync/sync-mapping.ts';
import { canonicalView } from '../../src/sync/views.ts';
import type { TestDialect } from '../helpers/databases.ts';
import { spawn } from 'node:child_process';
import { waitFor } from '../helpers/wait.ts';
import { finished, CATALOG_DIR, EXAMPLE_MAPPING, clearLogs, contact, contactsByEmail, control, edit, leadsScenario, mondayItem, requests, runSync, startBench, writeCounts, type Bench } from './harness.ts';
import type { ConflictPolicy } from '../../src/sync/definition.ts';

function exampleMapping(): SyncMapping {
  const text = parseSpecText(readFileSync(EXAMPLE_MAPPING, 'utf8'));
  assert.ok(text.ok);
  const m = compileSyncMapping(text.value, undefined);
  assert.ok(m.ok);
  return m.mapping;
}

/** Every item of the board through the connector (its own client, no limiter), as the sync sees them. */
async function mondayItems(b: Bench, boardId: string): Promise<RecordChange[]> {
  const catalog = await loadCatalog(CATALOG_DIR);
  const client = new ProviderClient({
    profile: profileFromCatalog(catalog.get('monday')!, { authMode: 'api_key', connectionConfig: { baseUrl: `${b.monday.url}/v2` } }),
    connectionId: 'conn_check', tokens: staticToken(b.monday.credentials.apiToken!), rateLimit: false,
  });
  const ctx: ConnectorContext = { client, connection: { id: 'conn_check', tenantId: b.tenantId, provider: 'monday', config: {} }, params: { boardId }, log: pino({ level: 'silent' }) };
  const out: RecordChange[] = [];
  let cursor: string | null = null;
  do {
    const page: ChangePage = await mondayConnector.models.items!.list(ctx, { cursor, pageSize: 500 });
    out.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Every item has exactly one contact, and the contact holds what the mapping makes of the item. */
async function assertMirrored(b: Bench, boardId: string, expected: number): Promise<void> {
  const mapping = exampleMapping();
  const items = await mondayItems(b, boardId);
  const contacts = contactsByEmail(b);
  assert.equal(items.length, expected);
  assert.equal(contacts.size, expected, 'one contact per item, none duplicated');
  for (const item of items) {
    const fw = mapping.forward(item.record);
    assert.ok(fw.ok);
    const want = canonicalView(fw.record);
    const contact = contacts.get(String((want.properties as Record<string, unknown>).email));
    assert.ok(contact, `a contact for item ${item.id}`);
    const got = mapping.project({ properties: contact.properties });
    assert.ok(got.ok);
    assert.deepEqual(canonicalView(got.record), want, `contact ${contact.id} mirrors item ${item.id}`);
  }
}

export function syncSuite(dialect: TestDialect): void {
  describe(`crash and resume on ${dialect}`, () => {
    let b: Bench;
    before(async () => {
      b = await startBench(dialect, { startWorker: false, leaseMs: 1_000 });
    });
    after(async () => {
      await b?.close();
    });

    test('kill -9 of the worker mid-run: another worker resumes from the checkpoint and the final state is exact', async () => {
      const s = await leadsScenario(b, 2000, { pageSize: 250 });
      const started = await b.syncs.run(b.tenantId, s.syncId, 'full');
      const child = spawn(process.execPath, [new URL('./worker-child.ts', import.meta.url).pathname, b.tdb.url, '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((r) => child.once('exit', r));
      try {
        const cursor = () => b.store.forTenant(b.tenantId).syncCursors.get(s.syncId, 'source');
        await waitFor(async () => (await cursor()).pagesDone >= 2, 60_000, 5);
        child.kill('SIGKILL');
        await exited;
      } finally {
        child.kill('SIGKILL');
      }
      const atKill = await b.store.forTenant(b.tenantId).syncRuns.get(started.id);
      assert.equal(atKill!.status, 'running', 'the run was cut off mid-way');
      const checkpoint = await b.store.forTenant(b.tenantId).syncCursors.get(s.syncId, 'source');
      assert.ok(checkpoint.pagesDone >= 2 && checkpoint.pagesDone < 8, `checkpoint after page ${checkpoint.pagesDone} of 8`);
      await clearLogs(b);

      b.worker.start();
      const run = await finished(b, started.id);
      assert.equal(run.status, 'completed');
      assert.equal(run.attempts, 2, 'the second attempt finished the run');
      const firstRead = (await requests(b.monday)).find((r) => typeof r.body?.query === 'string' && r.body.query.includes('items'));
      assert.match(firstRead!.body.query, /next_items_page/, 'the resumed attempt continued from the saved cursor instead of the first page');
      assert.equal(run.progress.read, 2000, 'every item read once across both attempts');
      // A batch the provider accepted just before the kill, whose links were not yet
      // checkpointed, is matched by email on resume and counted as updated: at most one page.
      assert.equal(run.progress.created + run.progress.skipped + run.progress.updated, 2000, 'every record accounted for once');
      assert.ok(run.progress.updated <= 250, `at most the page in flight at the kill is written again (${run.progress.updated})`);
      await assertMirrored(b, s.boardId, 2000);
    });
  });

  describe(`sync engine on ${dialect}`, () => {
    let b: Bench;
    before(async () => {
      b = await startBench(dialect);
    });
    after(async () => {
      await b?.close();
    });

    test('first run: 2,000 items become 2,000 correct contacts, none duplicated', async () => {
      const s = await leadsScenario(b, 2000);
      const run = await runSync(b, s.syncId, 'full');
      assert.equal(run.progress.read, 2000);
      assert.equal(run.progress.created, 2000);
      assert.equal(run.progress.failed, 0);
      assert.equal(run.progress.pages, 4);
      assert.equal(await b.store.forTenant(b.tenantId).recordLinks.count(s.syncId), 2000);
      await assertMirrored(b, s.boardId, 2000);
    });

    test('matching: a first run against a target holding half the records (same emails) creates no duplicates', async () => {
      const s = await leadsScenario(b, 2000);
      const items = await mondayItems(b, s.boardId);
      const half = items.filter((_, i) => i % 2 === 0).map((it) => ({ properties: { email: String((it.record.columns as any).email.email), firstname: 'Stale', company: 'Old Co' } }));
      await control(b.hubspot, 'POST', '/_sandbox/seed', { contacts: half });
      assert.equal(contactsByEmail(b).size, 1000);
      const run = await runSync(b, s.syncId, 'full');
      assert.equal(run.progress.created, 1000);
      assert.equal(run.progress.updated, 1000, 'the existing half is matched by email and updated');
      assert.equal(run.progress.failed, 0);
      await assertMirrored(b, s.boardId, 2000);
    });

    test('a no-change incremental run reads and writes nothing', async () => {
      const s = await leadsScenario(b, 300);
      await runSync(b, s.syncId, 'full');
      await clearLogs(b);
      const run = await runSync(b, s.syncId, 'incremental');
      assert.deepEqual({ created: run.progress.created, updated: run.progress.updated, skipped: run.progress.skipped }, { created: 0, updated: 0, skipped: 300 });
      const mondayLog = await requests(b.monday);
      // Monday items have no changed-since filter, so the check is one full read of the board (300 items: one page), diffed by hash.
      assert.equal(mondayLog.length, 1);
      assert.match(mondayLog[0]!.body.query, /items_page/);
      assert.deepEqual(await requests(b.hubspot), [], 'nothing reaches HubSpot');
    });

    test('bidirectional: a change on either side propagates exactly once and does not echo', async () => {
      const s = await leadsScenario(b, 20, { direction: 'bidirectional', conflictPolicy: 'field_merge', key: { matchField: 'email', sourceMatchField: 'email' } });
      await runSync(b, s.syncId, 'full');
      const links = await b.store.forTenant(b.tenantId).recordLinks.list(s.syncId);
      const [l1, l2] = links;

      await clearLogs(b);
      await edit.monday(b, l1!.sourceId, { column_values: { company: 'Monday Edit Ltd' } });
      let run = await runSync(b, s.syncId);
      assert.equal(contact(b, l1!.targetId).company, 'Monday Edit Ltd');
      assert.deepEqual(await writeCounts(b), { monday: 0, hubspot: 1 }, 'one batch update at HubSpot, nothing back to Monday');
      assert.equal(run.progress.updated, 1);

      await clearLogs(b);
      await edit.hubspot(b, l2!.targetId, { company: 'HubSpot Edit Inc' });
      run = await runSync(b, s.syncId);
      assert.equal(mondayItem(b, l2!.sourceId).values.get('company'), 'HubSpot Edit Inc');
      assert.deepEqual(await writeCounts(b), { monday: 1, hubspot: 0 }, 'one mutation at Monday; our write to HubSpot earlier did not come back');
      assert.equal(run.progress.updated, 1);

      await clearLogs(b);
      run = await runSync(b, s.syncId);
      assert.deepEqual(await writeCounts(b), { monday: 0, hubspot: 0 }, 'our own writes, read back from both sides, are recognised by their hashes');
      assert.equal(run.progress.updated + run.progress.created, 0);
    });

    for (const policy of ['source_wins', 'target_wins', 'last_writer_wins', 'field_merge', 'manual'] as ConflictPolicy[]) {
      test(`conflict policy ${policy} on a record changed on both sides`, async () => {
        const s = await leadsScenario(b, 5, { direction: 'bidirectional', conflictPolicy: policy, key: { matchField: 'email', sourceMatchField: 'email' } });
        await runSync(b, s.syncId, 'full');
        const [l] = await b.store.forTenant(b.tenantId).recordLinks.list(s.syncId);
        const before = contact(b, l!.targetId);
        // Monday changes company and phone; later, HubSpot changes company and last name.
        await edit.monday(b, l!.sourceId, { column_values: { company: 'Monday Co', phone: { phone: '+12025550123', countryShortName: 'US' } } });
        await new Promise((r) => setTimeout(r, 20));
        await edit.hubspot(b, l!.targetId, { company: 'HubSpot Co', lastname: 'Changed' });
        const run = await runSync(b, s.syncId);
        assert.equal(run.progress.conflicts, 1);
        const c = contact(b, l!.targetId);
        const item = mondayItem(b, l!.sourceId);
        const itemCompany = item.values.get('company');
        const conflicts = await b.store.forTenant(b.tenantId).conflicts.list({ syncId: s.syncId });
        if (policy === 'source_wins') {
          assert.deepEqual([c.company, c.phone, c.lastname], ['Monday Co', '+12025550123', before.lastname]);
          assert.equal(itemCompany, 'Monday Co');
        } else if (policy === 'target_wins' || policy === 'last_writer_wins') {
          // HubSpot's edit is the later one, so last_writer_wins picks it too.
          assert.deepEqual([c.company, c.phone, c.lastname], ['HubSpot Co', before.phone, 'Changed']);
          assert.equal(itemCompany, 'HubSpot Co');
          assert.equal(item.name, `${before.firstname} Changed`);
          assert.equal(item.values.get('phone').phone, before.phone);
        } else if (policy === 'field_merge') {
          // company changed on both sides: no field times, so the fallback (source) wins it; each one-sided change survives.
          assert.deepEqual([c.company, c.phone, c.lastname], ['Monday Co', '+12025550123', 'Changed']);
          assert.equal(itemCompany, 'Monday Co');
          assert.equal(item.name, `${before.firstname} Changed`);
        } else {
          assert.deepEqual([c.company, itemCompany], ['HubSpot Co', 'Monday Co'], 'manual: nothing written');
          assert.equal(conflicts.items.length, 1);
          const open = conflicts.items[0]!;
          assert.equal(open.status, 'open');
          assert.deepEqual(open.details.fields, ['properties.company']);
          const resolved = await b.conflicts.resolve(b.tenantId, open.id, { side: 'target' }, 'test');
          assert.equal(resolved.status, 'resolved');
          assert.equal(mondayItem(b, l!.sourceId).values.get('company'), 'HubSpot Co');
          await assert.rejects(b.conflicts.resolve(b.tenantId, open.id, { side: 'source' }, 'test'), /already resolved/);
        }
        if (policy !== 'manual') assert.equal(conflicts.items.length, 0, 'only manual stores conflicts');
        await clearLogs(b);
        await runSync(b, s.syncId);
        assert.deepEqual(await writeCounts(b), { monday: 0, hubspot: 0 }, 'settled: the next run writes nothing');
      });
    }

    test('faults: 20% 5xx, 429 bursts and dropped connections at both fakes; the final state is exact', async () => {
      const s = await leadsScenario(b, 600);
      const faults = { errorRate: 0.2, errorStatus: 503, burst429: 3, dropRate: 0.05 };
      await control(b.monday, 'PUT', '/_sandbox/faults', faults);
      await control(b.hubspot, 'PUT', '/_sandbox/faults', faults);
      try {
        const run = await runSync(b, s.syncId, 'full');
        assert.equal(run.progress.failed, 0, JSON.stringify(run.failures.slice(0, 3)));
        assert.ok((await requests(b.hubspot)).some((r) => r.status >= 500 || r.status === 429), 'faults were injected');
      } finally {
        await control(b.monday, 'PUT', '/_sandbox/faults', {});
        await control(b.hubspot, 'PUT', '/_sandbox/faults', {});
      }
      await assertMirrored(b, s.boardId, 600);
    });
  });
}
