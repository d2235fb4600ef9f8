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
import { CATALOG_DIR, EXAMPLE_MAPPING, contactsByEmail, control, leadsScenario, requests, runSync, startBench, writesIn, type Bench } from './harness.ts';

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
  });
}
