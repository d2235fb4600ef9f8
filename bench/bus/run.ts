// Bus benchmark: for each adapter, publish N events and consume them in the
// same process, on loopback brokers. Prints events/s and publish→consume
// latency (p50/p99), the median of several runs, and ratios against the
// memory adapter measured in the same invocation. Not a test: no pass/fail.
//
//   node bench/bus/run.ts [--events 20000] [--runs 3] [--cap-seconds 20] [--window 256] [--only memory,nats]
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { busFromUrl } from '../../src/events/bus/from-url.ts';
import { createEvent } from '../../src/events/bus/envelope.ts';
import type { Bus } from '../../src/events/bus/port.ts';
import type { NatsBus } from '../../src/events/bus/nats.ts';
import type { RabbitBus } from '../../src/events/bus/rabbitmq.ts';
import { connectRedis } from '../../src/events/bus/redis-connect.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    'cap-seconds': { type: 'string', default: '20' },
    window: { type: 'string', default: '256' },
    only: { type: 'string' },
  },
});
const N = Math.min(Number(args.events), 200_000);
const RUNS = Math.min(Number(args.runs), 9);
const CAP_MS = Math.min(Number(args['cap-seconds']), 120) * 1000;
const WINDOW = Number(args.window);

interface Adapter { name: string; url(run: string): string; cleanup(bus: Bus, run: string, topic: string): Promise<void> }

const ADAPTERS: Adapter[] = [
  { name: 'memory', url: () => 'memory://', cleanup: async () => undefined },
  { name: 'redis-pubsub', url: () => 'redis://127.0.0.1:6379?mode=pubsub', cleanup: async () => undefined },
  {
    name: 'redis-streams',
    url: (run) => `redis://127.0.0.1:6379?mode=streams&prefix=${run}&blockMs=200`,
    cleanup: async (_bus, run) => {
      const redis = await connectRedis('redis://127.0.0.1:6379');
      for await (const keys of redis.scanStream({ match: `${run}:*`, count: 500 })) if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
      redis.disconnect();
    },
  },
  { name: 'nats', url: () => 'nats://127.0.0.1:4222', cleanup: async (bus, _run, topic) => (bus as NatsBus).deleteStream(topic) },
  {
    name: 'rabbitmq',
    url: (run) => `amqp://guest:guest@127.0.0.1:5672?exchange=${run}`,
    cleanup: async (bus, _run, topic) => { await (bus as RabbitBus).deleteGroup('bench', topic); await (bus as RabbitBus).deleteExchanges(); },
  },
];

interface Result { delivered: number; eventsPerSec: number; p50: number; p99: number; capped: boolean }

async function once(adapter: Adapter): Promise<Result> {
  const run = `sybench${randomBytes(4).toString('hex')}`;
  const topic = `${run}.ten_bench.bench.event`;
  const bus = await busFromUrl(adapter.url(run));
  const latencies = new Float64Array(N);
  let delivered = 0;
  let lastAt = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  try {
    await bus.subscribe(topic, 'bench', (event) => {
      const now = performance.now();
      latencies[delivered] = now - (event.data as { t: number }).t;
      delivered += 1;
      lastAt = now;
      if (delivered === N) resolveDone();
    }, { prefetch: 100 });
    const start = performance.now();
    const deadline = start + CAP_MS;
    // A bounded window of publishes in flight: enough to keep the pipe full, never unbounded.
    const inflight = new Set<Promise<void>>();
    for (let i = 0; i < N && performance.now() < deadline; i++) {
      const p = bus.publish(topic, createEvent({ type: 'bench.event', tenant: 'ten_bench', data: { i, t: performance.now() } }), `k${i % 16}`)
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= WINDOW) await Promise.race(inflight);
      // Let consumers run: an adapter whose publish resolves at once (memory) would otherwise
      // enqueue everything before the first delivery and report queueing as latency.
      if (i % WINDOW === WINDOW - 1) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(inflight);
    await Promise.race([done, new Promise((r) => setTimeout(r, Math.max(0, deadline - performance.now())).unref())]);
    const got = latencies.slice(0, delivered).sort();
    const pct = (q: number) => (got.length ? got[Math.min(got.length - 1, Math.floor(q * got.length))]! : NaN);
    return { delivered, eventsPerSec: delivered / ((lastAt - start) / 1000), p50: pct(0.5), p99: pct(0.99), capped: delivered < N };
  } finally {
    await adapter.cleanup(bus, run, topic).catch((err) => console.error(`cleanup ${adapter.name}: ${String(err)}`));
    await bus.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const only = args.only?.split(',');
const chosen = ADAPTERS.filter((a) => a.name === 'memory' || !only || only.includes(a.name));
const rows: { name: string; eps: number; p50: number; p99: number; delivered: number; capped: boolean }[] = [];
console.log(`bus bench: ${N} events per run, ${RUNS} runs per adapter (median), window ${WINDOW}, cap ${CAP_MS / 1000}s per run, node ${process.version}`);
for (const adapter of chosen) {
  const results: Result[] = [];
  for (let r = 0; r < RUNS; r++) results.push(await once(adapter));
  rows.push({
    name: adapter.name,
    eps: median(results.map((x) => x.eventsPerSec)),
    p50: median(results.map((x) => x.p50)),
    p99: median(results.map((x) => x.p99)),
    delivered: Math.min(...results.map((x) => x.delivered)),
    capped: results.some((x) => x.capped),
  });
  process.stderr.write(`  ${adapter.name} done\n`);
}
const base = rows.find((r) => r.name === 'memory')!;
const pad = (s: string, n: number) => s.padStart(n);
console.log(`${'adapter'.padEnd(14)}${pad('events/s', 11)}${pad('p50 ms', 10)}${pad('p99 ms', 10)}${pad('vs memory (rate)', 18)}${pad('delivered', 11)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(14)}${pad(Math.round(r.eps).toLocaleString('en-US'), 11)}${pad(r.p50.toFixed(2), 10)}${pad(r.p99.toFixed(2), 10)}${pad(`${(r.eps / base.eps).toFixed(3)}x`, 18)}${pad(`${r.delivered}${r.capped ? ' (capped)' : ''}`, 11)}`);
}
