/**
 * Sync throughput: N Monday "Leads" items → HubSpot contacts (first run,
 * created through batch upsert by email) at the HubSpot fake's documented
 * limits (burst 100 requests per 10 s, 100 inputs per batch), with the
 * connector runtime's own limiter on, as in production. Prints records/s, the
 * rate-limit ceiling (limit × batch size / window) and their ratio; the
 * target is ≥ 0.9. Bounded: gives up after --max-seconds.
 *
 *   node bench/sync/run.ts [--items 10000] [--max-seconds 180] [--db sqlite|postgres]
 */
import { parseArgs } from 'node:util';
import { leadsScenario, finished, requests, startBench } from '../../test/sync/harness.ts';

const { values } = parseArgs({ options: { items: { type: 'string', default: '10000' }, 'max-seconds': { type: 'string', default: '180' }, db: { type: 'string', default: 'sqlite' } } });
const items = Number(values.items);
const b = await startBench(values.db === 'postgres' ? 'postgres' : 'sqlite');
try {
  const s = await leadsScenario(b, items, { pageSize: 500 });
  const knobs = await (await fetch(`${b.hubspot.url}/_sandbox/knobs`)).json() as { burstLimit: number; burstWindowMs: number };
  // The Monday fake prices a 500-item page at roughly 650,000 complexity points, so its default
  // 10M-a-minute budget allows about 7,500 items a minute. That is Monday's read ceiling, not the
  // HubSpot write ceiling this bench measures, so the read budget is lifted (a fake knob).
  const mondayBudget = 1_000_000_000;
  await fetch(`${b.monday.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ complexityBudget: mondayBudget }) });
  const batch = b.registry.model('hubspot', 'contacts')!.batchLimit;
  const ceiling = (knobs.burstLimit * batch) / (knobs.burstWindowMs / 1000);
  // Let the fake's rolling window and the client's buckets start empty-handed, as after a quiet period.
  await new Promise((r) => setTimeout(r, knobs.burstWindowMs));
  const t0 = performance.now();
  const run = await b.syncs.run(b.tenantId, s.syncId, 'full');
  const done = await finished(b, run.id, Number(values['max-seconds']) * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const p = done.progress;
  const log = await requests(b.hubspot);
  const limited = log.filter((r) => r.status === 429).length;
  const rate = p.created / seconds;
  console.log(`sync bench: ${items} Monday items -> HubSpot contacts on ${values.db} (${done.status})`);
  console.log(`  created ${p.created}, failed ${p.failed}, pages ${p.pages}, HubSpot requests ${log.length} (429s: ${limited}), rate-limit wait ${p.rateLimitWaitMs} ms`);
  console.log(`  Monday complexity budget lifted to ${mondayBudget.toLocaleString('en')} points a minute (reads are not what is measured)`);
  console.log(`  elapsed ${seconds.toFixed(2)} s`);
  console.log(`  records/s             ${rate.toFixed(0)}`);
  console.log(`  rate-limit ceiling    ${ceiling.toFixed(0)} records/s (${knobs.burstLimit} requests / ${knobs.burstWindowMs / 1000} s x ${batch} per batch)`);
  console.log(`  ratio                 ${(rate / ceiling).toFixed(3)} (target >= 0.9)`);
} finally {
  await b.close();
}
