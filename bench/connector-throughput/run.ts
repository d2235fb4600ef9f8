// Connector throughput: upsert 10,000 HubSpot contacts through the HubSpot
// connector against the fake at its documented burst limit (100 requests per
// window, 100 records per batch), and compare with the ceiling
// limit × batch size / window. The window is HubSpot's documented 10 s (about
// 11 s a run); --windowMs scales it down, at which point the fake's own CPU on
// this 2-core machine, not the limiter, becomes the bound (0.6 at 2 s).
// Usage: node bench/connector-throughput/run.ts [--records 10000] [--windowMs 2000] [--runs 3] [--concurrency 4]
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import { profileFromCatalog } from '../../src/connectors/profile.ts';
import { ProviderClient, staticToken } from '../../src/http-client/index.ts';
import { connector } from '../../src/connectors/hubspot/index.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '10000' }, windowMs: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '4' } } });
const RECORDS = Number(values.records);
const WINDOW = Number(values.windowMs);
const LIMIT = 100;
const BATCH = 100;
const catalog = await loadCatalog(new URL('../../catalog/', import.meta.url).pathname);
const ceiling = (LIMIT * BATCH) / (WINDOW / 1000);

const results: { rps: number; ratio: number; r429: number }[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const fake = await startHubSpot({ knobs: { burstLimit: LIMIT, burstWindowMs: WINDOW } as never });
  try {
    const profile = profileFromCatalog(catalog.require('hubspot'), { authMode: 'api_key', connectionConfig: { baseUrl: fake.url } });
    // The fake's window is scaled; the client's bucket follows the same limit on the same window.
    profile.rateLimits = [{ name: 'burst', points: LIMIT, durationMs: WINDOW }];
    const client = new ProviderClient({ profile, connectionId: `bench-${run}`, tokens: staticToken(String(fake.credentials.accessToken)) });
    const ctx = { client, connection: { id: `bench-${run}`, tenantId: 'bench', provider: 'hubspot', config: {} }, params: {}, log: pino({ level: 'silent' }) };
    const inputs = Array.from({ length: RECORDS }, (_, i) => ({ record: { properties: { email: `bench-${run}-${i}@example.com`, firstname: `B${i}`, lastname: 'Bench' } } }));
    const model = connector.models.contacts!;
    const started = performance.now();
    let ok = 0;
    // A few batches in flight, as a sync writer keeps them: the client's shared bucket does the pacing.
    let next = 0;
    await Promise.all(Array.from({ length: Number(values.concurrency) }, async () => {
      for (let i = next; i < inputs.length; i = next) {
        next += model.batchLimit;
        const res = await model.upsert!(ctx, inputs.slice(i, i + model.batchLimit));
        ok += res.filter((r) => r.ok).length;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const log = (await (await fetch(`${fake.url}/_sandbox/requests?pathPrefix=/crm/v3/objects/contacts/batch`)).json()) as { requests: { status: number }[] };
    const r429 = log.requests.filter((r) => r.status === 429).length;
    if (ok !== RECORDS) throw new Error(`only ${ok} of ${RECORDS} records were written`);
    const rps = RECORDS / seconds;
    results.push({ rps, ratio: rps / ceiling, r429 });
    console.log(`run ${run + 1}: ${RECORDS} contacts in ${seconds.toFixed(2)} s = ${rps.toFixed(0)} records/s, ${log.requests.length} batch calls, ${r429} answered 429`);
  } finally {
    await fake.close();
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`ceiling ${ceiling.toFixed(0)} records/s (${LIMIT} requests per ${WINDOW} ms × ${BATCH} per batch)`);
console.log(`median ${median(results.map((r) => r.rps)).toFixed(0)} records/s, ratio ${median(results.map((r) => r.ratio)).toFixed(3)} (target ≥ 0.9), 429s seen: ${results.map((r) => r.r429).join(', ')}`);
