// Outbox → relay → broker → consumer, end to end, for each adapter: events are
// written to the outbox in transactions (as the hub writes them), the relay
// publishes them, a consumer on the broker receives them. Prints events/s from
// the first write to the last delivery and the write→consume latency p50/p99,
// medians of several runs, with the memory adapter as the in-run baseline.
// Events go to 8 partition keys; --concurrency lists how many partitions the
// relay publishes at once (1 is one event at a time), each measured in the same
// run, with the ratio of each to the first.
//
//   node bench/bus/outbox.ts [--events 5000] [--runs 3] [--only memory,nats] [--concurrency 1,16]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { busFromUrl } from '../../src/events/bus/from-url.ts';
import type { Bus } from '../../src/events/bus/port.ts';
import type { NatsBus } from '../../src/events/bus/nats.ts';
import type { RabbitBus } from '../../src/events/bus/rabbitmq.ts';
import { topicNaming } from '../../src/events/bus/topics.ts';
import { openDatabase } from '../../src/store/dialect.ts';
import { createStore } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { outboxRow } from '../../src/events/outbox.ts';
import { Relay } from '../../src/events/relay.ts';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '5000' }, runs: { type: 'string', default: '3' }, only: { type: 'string' }, concurrency: { type: 'string', default: '16' } } });
const CONCURRENCY = args.concurrency!.split(',').map(Number);
const N = Math.min(Number(args.events), 50_000);
const RUNS = Math.min(Number(args.runs), 9);

const ADAPTERS: { name: string; url: (run: string) => string; cleanup: (bus: Bus, run: string, pattern: string) => Promise<void> }[] = [
  { name: 'memory', url: () => 'memory://', cleanup: async () => undefined },
  { name: 'redis-pubsub', url: () => 'redis://127.0.0.1:6379?mode=pubsub', cleanup: async () => undefined },
  { name: 'redis-streams', url: (run) => `redis://127.0.0.1:6379?mode=streams&prefix=${run}&blockMs=200`, cleanup: async () => undefined },
  { name: 'nats', url: () => 'nats://127.0.0.1:4222', cleanup: async (bus, run) => (bus as NatsBus).deleteStream(`${run}.x`) },
  { name: 'rabbitmq', url: (run) => `amqp://guest:guest@127.0.0.1:5672?exchange=${run}`, cleanup: async (bus, _run, pattern) => { await (bus as RabbitBus).deleteGroup('bench', pattern); await (bus as RabbitBus).deleteExchanges(); } },
];

async function once(name: string, url: (run: string) => string, cleanup: (bus: Bus, run: string, pattern: string) => Promise<void>, concurrency: number) {
  const run = `ob${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-outbox-'));
  const db = openDatabase(`sqlite:${join(dir, 'hub.db')}`);
  const store = createStore(db);
  await migrateUp(db.db);
  const tenantId = (await createTenant(store, 'bench', { id: 'bench' })).id;
  const relayBus = await busFromUrl(url(run));
  const consumerBus = name === 'memory' ? relayBus : await busFromUrl(url(run));
  const latencies: number[] = [];
  let last = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const pattern = `${run}.${tenantId}.>`;
  let warmed!: () => void;
  const warm = new Promise<void>((r) => (warmed = r));
  const sub = await consumerBus.subscribe(pattern, 'bench', (event) => {
    if ((event.data as { warmup?: boolean }).warmup) return warmed();
    const now = performance.now();
    latencies.push(now - (event.data as { t: number }).t);
    last = now;
    if (latencies.length === N) done();
  }, { prefetch: 256 });
  const relay = new Relay(store, relayBus, topicNaming(`${run}.{tenant}.{type}`), pino({ level: 'silent' }), { id: 'bench', batch: 500, leaseMs: 10_000, pollMs: 5, retryBaseMs: 50, retryMaxMs: 1000, concurrency, source: '/bench' });
  relay.start();
  // One event first, outside the clock: a pattern subscriber on Redis Streams
  // finds a new stream only at its next topic poll (discoverEveryMs, 2 s).
  await store.transaction((tx) => tx.outbox.append([outboxRow({ tenantId, type: 'webhook.received', data: { warmup: true }, partitionKey: 'p0' })]));
  relay.nudge();
  await warm;
  const started = performance.now();
  for (let i = 0; i < N; i += 100) {
    await store.transaction((tx) => tx.outbox.append(Array.from({ length: Math.min(100, N - i) }, (_, j) => outboxRow({ tenantId, type: 'webhook.received', data: { i: i + j, t: performance.now() }, partitionKey: `p${(i + j) % 8}` }))));
    relay.nudge();
  }
  const capped = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 60_000))]);
  await relay.stop();
  await sub.close();
  await cleanup(consumerBus, run, pattern).catch(() => undefined);
  if (consumerBus !== relayBus) await consumerBus.close();
  await relayBus.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return { eps: (latencies.length / (last - started)) * 1000, p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, capped };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline = new Map<number, number>();
for (const a of ADAPTERS) {
  if (args.only && !args.only.split(',').includes(a.name)) continue;
  // Rounds alternate the concurrency settings, so each ratio compares neighbours in time.
  const runs = new Map<number, Awaited<ReturnType<typeof once>>[]>(CONCURRENCY.map((c) => [c, []]));
  for (let i = 0; i < RUNS; i++) for (const c of CONCURRENCY) runs.get(c)!.push(await once(a.name, a.url, a.cleanup, c));
  const first = runs.get(CONCURRENCY[0]!)!;
  for (const c of CONCURRENCY) {
    const rs = runs.get(c)!;
    const eps = median(rs.map((r) => r.eps));
    if (a.name === 'memory') baseline.set(c, eps);
    const vsMemory = baseline.has(c) ? (eps / baseline.get(c)!).toFixed(3) : 'n/a';
    const vsFirst = c === CONCURRENCY[0] ? '' : `  vs concurrency ${CONCURRENCY[0]} ${median(rs.map((r, i) => r.eps / first[i]!.eps)).toFixed(2)}x`;
    console.log(`${a.name.padEnd(14)} concurrency ${String(c).padStart(2)} ${eps.toFixed(0).padStart(7)} events/s  p50 ${median(rs.map((r) => r.p50)).toFixed(1).padStart(7)} ms  p99 ${median(rs.map((r) => r.p99)).toFixed(1).padStart(7)} ms  vs memory ${vsMemory}${vsFirst}${rs.some((r) => r.capped) ? '  (a run hit the 60 s cap)' : ''}`);
  }
}
