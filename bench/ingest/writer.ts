// The ingest write path alone, without HTTP: received webhooks (a job and an
// event each) written in batches on SQLite FULL, by the
// writer thread against the baseline of the same rows through a Kysely
// transaction on the event loop (the write path before the thread), measured
// in the same run. It is the floor under bench/ingest/run.ts: the hub cannot
// ingest faster than this on the same disk and CPUs.
// Usage: node bench/ingest/writer.ts [--seconds 2] [--runs 3] [--batches 16,64]
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../../test/helpers/databases.ts';
import { openDatabase } from '../../src/store/dialect.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { createSource } from '../../src/webhooks/sources.ts';
import { Vault, formatKeyRing, generateMasterKey, parseKeyRing } from '../../src/vault/index.ts';
import { SqliteIngestThread } from '../../src/store/sqlite-ingest.ts';
import { jobRow, type NewJob } from '../../src/store/repos/jobs.ts';
import { webhookEventRow, type NewWebhookEvent } from '../../src/store/repos/webhook-events.ts';
import { newId } from '../../src/domain/ids.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, runs: { type: 'string', default: '3' }, batches: { type: 'string', default: '16,64' } } });
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const BATCHES = values.batches!.split(',').map(Number);

interface Delivery { job: NewJob; event: NewWebhookEvent }

async function setup() {
  const tdb = await createTestDatabase('sqlite', 'bench_writer');
  const handle = openDatabase(tdb.url, { sqliteSynchronous: 'FULL' });
  await migrateUp(handle.db);
  const store = createStore(handle);
  const tenantId = (await createTenant(store, 'bench', { id: 'bench' })).id;
  const vault = new Vault(parseKeyRing(formatKeyRing([generateMasterKey()])));
  const sourceId = (await createSource(store, vault, tenantId, { provider: 'github', name: 'bench', secrets: ['s'] }, { id: 'bench' })).id;
  let seq = 0;
  const delivery = (): Delivery => {
    const now = Date.now();
    const eventId = newId('event', now);
    const jobId = newId('job', now);
    seq += 1;
    const body = Buffer.from(JSON.stringify({ action: 'opened', issue: { number: seq, title: 'benchmark issue' } }));
    return {
      job: { id: jobId, tenantId, kind: 'webhook.process', payload: { kind: 'webhook.process', v: 1, eventId, provider: 'github', type: 'issues' }, maxAttempts: 9, runAt: now, now },
      event: { id: eventId, tenantId, sourceId, provider: 'github', eventType: 'issues', dedupKey: `bench-${process.pid}-${seq}`, jobId, body, receivedAt: now, headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': `bench-${seq}`, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } },
    };
  };
  return { tdb, handle, store, delivery };
}

async function kyselyWrite(store: Store, batch: Delivery[]): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.webhookIngest.existing(batch.map((d) => d.event.dedupKey));
    await tx.queue.insert(batch.map((d) => d.job));
    await tx.webhookIngest.insert(batch.map((d) => d.event));
  });
}

async function measure(write: (batch: Delivery[]) => Promise<unknown>, delivery: () => Delivery, size: number): Promise<number> {
  // Two batches in flight, as the group committer keeps them.
  let events = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const lane = async () => {
    while (performance.now() < until) {
      await write(Array.from({ length: size }, delivery));
      events += size;
    }
  };
  await Promise.all([lane(), lane()]);
  return events / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const size of BATCHES) {
  const base: number[] = [];
  const thread: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const s = await setup();
    base.push(await measure((b) => kyselyWrite(s.store, b), s.delivery, size));
    const writer = new SqliteIngestThread({ file: s.handle.sqliteFile!, synchronous: 'FULL' });
    thread.push(await measure((b) => writer.write(b.map((d) => ({ job: jobRow(d.job), event: webhookEventRow(d.event) }))), s.delivery, size));
    await writer.close();
    await s.handle.close();
    await s.tdb.drop();
  }
  const b = median(base);
  const t = median(thread);
  console.log(`batch ${String(size).padStart(3)}: Kysely on the event loop ${b.toFixed(0).padStart(6)} events/s  writer thread ${t.toFixed(0).padStart(6)} events/s  ratio ${(t / b).toFixed(2)}  (runs: ${base.map((x) => x.toFixed(0)).join(', ')} | ${thread.map((x) => x.toFixed(0)).join(', ')})`);
}
