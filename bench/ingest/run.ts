// Ingest benchmark: req/s and latency of the hub's full ingest (verify,
// dedup, durable commit) against a bare Fastify 200 measured in the same run.
// Usage: node bench/ingest/run.ts [--duration 5] [--runs 3] [--connections 50,200] [--only a,b] [--cpu-prof DIR]
// Each of --runs rounds measures every target at every connection count; the
// ratios are medians of the per-round ratios.
// --cpu-prof writes one V8 CPU profile per server process into DIR (open it in Chrome DevTools).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase } from '../../test/helpers/databases.ts';
import { openDatabase } from '../../src/store/dialect.ts';
import { createStore } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { createSource } from '../../src/webhooks/sources.ts';
import { Vault, formatKeyRing, generateMasterKey, parseKeyRing } from '../../src/vault/index.ts';
import { freePort } from '../../test/helpers/ports.ts';

const MASTER_KEYS = formatKeyRing([generateMasterKey()]);
const vault = new Vault(parseKeyRing(MASTER_KEYS));

const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, runs: { type: 'string', default: '3' }, connections: { type: 'string', default: '50,200' }, only: { type: 'string' }, 'cpu-prof': { type: 'string' } } });
const DURATION = Number(values.duration);
const RUNS = Number(values.runs);
const CONNECTIONS = values.connections!.split(',').map(Number);
const SECRET = 'bench-secret';
const root = new URL('../../', import.meta.url).pathname;


async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch (_err) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${port} never became healthy`);
}

interface Target {
  name: string;
  start: () => Promise<{ url: string; stop: () => Promise<void> }>;
}

const prof = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
function proc(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
}

async function stopProc(p: ChildProcess): Promise<void> {
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await done;
}

function hubTarget(name: string, dialect: 'sqlite' | 'postgres', env: Record<string, string>): Target {
  return {
    name,
    start: async () => {
      const tdb = await createTestDatabase(dialect, 'bench');
      const h = openDatabase(tdb.url);
      await migrateUp(h.db);
      const store = createStore(h);
      const tenant = await createTenant(store, 'bench', { id: 'bench' });
      const source = await createSource(store, vault, tenant.id, { provider: 'github', name: 'bench', secrets: [SECRET] }, { id: 'bench' });
      await h.close();
      const port = await freePort();
      const p = proc([...prof, 'src/cli/main.ts', 'start', '--role', 'api'], { MASTER_KEYS, DATA_DIR: mkdtempSync(join(tmpdir(), 'sy-bench-')), DATABASE_URL: tdb.url, PORT: String(port), LOG_LEVEL: 'error', RATE_LIMIT_MAX: '100000000', ...env });
      await waitHealthy(port);
      return { url: `http://127.0.0.1:${port}/api/v1/webhooks/github/${source.id}`, stop: async () => { await stopProc(p); await tdb.drop(); } };
    },
  };
}

const targets: Target[] = [
  {
    name: 'a bare fastify 200',
    start: async () => {
      const port = await freePort();
      const p = proc([...prof, 'bench/ingest/bare-server.ts'], { PORT: String(port) });
      await waitHealthy(port);
      return { url: `http://127.0.0.1:${port}/api/v1/webhooks/github/src_bare`, stop: () => stopProc(p) };
    },
  },
  hubTarget('b hub sqlite FULL', 'sqlite', { SQLITE_SYNCHRONOUS: 'FULL' }),
  hubTarget('c hub postgres', 'postgres', {}),
  hubTarget('d naive sqlite FULL', 'sqlite', { SQLITE_SYNCHRONOUS: 'FULL', INGEST_GROUP_COMMIT: 'false' }),
  hubTarget('e hub sqlite NORMAL', 'sqlite', { SQLITE_SYNCHRONOUS: 'NORMAL' }),
];

let seq = 0;
function load(url: string, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({
      url, connections, duration: DURATION, method: 'POST',
      requests: [{
        setupRequest: (req) => {
          seq += 1;
          const body = JSON.stringify({ action: 'opened', issue: { number: seq, title: 'benchmark issue' } });
          const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
          return { ...req, body, headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': `b-${process.pid}-${seq}`, 'x-hub-signature-256': sig } };
        },
      }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
interface Run { rps: number; p50: number; p99: number; non2xx: number }
const runs = new Map<string, Run[]>();
const chosen = targets.filter((t) => !values.only || values.only.split(',').some((o) => t.name.startsWith(o)));

// Rounds, not target after target: each round measures every target once, so
// a ratio is taken between measurements minutes apart at most, and a slow
// spell of this shared machine lands on a whole round rather than on one
// target. Ratios are the median of the per-round ratios.
for (let round = 0; round < RUNS; round++) {
  for (const c of CONNECTIONS) {
    for (const target of chosen) {
      const server = await target.start();
      try {
        await load(server.url, c); // warm-up run, discarded
        const r = await load(server.url, c);
        const key = `${target.name}@${c}`;
        runs.set(key, [...(runs.get(key) ?? []), { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors }]);
      } finally {
        await server.stop();
      }
    }
  }
}

for (const target of chosen) {
  for (const c of CONNECTIONS) {
    const rs = runs.get(`${target.name}@${c}`)!;
    const m = { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), non2xx: Math.max(...rs.map((r) => r.non2xx)) };
    console.log(`${target.name.padEnd(22)} c=${String(c).padEnd(4)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${String(m.p50).padStart(4)} ms  p99 ${String(m.p99).padStart(4)} ms  non-2xx ${m.non2xx}  (median of ${RUNS}: ${rs.map((r) => r.rps.toFixed(0)).join(', ')})`);
  }
}

const ratio = (x: string, y: string, c: number) => {
  const a = runs.get(`${x}@${c}`);
  const b = runs.get(`${y}@${c}`);
  if (!a || !b) return 'n/a';
  const perRound = a.map((r, i) => r.rps / b[i]!.rps);
  return `${median(perRound).toFixed(2)} (${perRound.map((q) => q.toFixed(2)).join(', ')})`;
};
for (const c of CONNECTIONS) {
  console.log(`c=${c}: b/a ${ratio('b hub sqlite FULL', 'a bare fastify 200', c)}  c/a ${ratio('c hub postgres', 'a bare fastify 200', c)}  b/d ${ratio('b hub sqlite FULL', 'd naive sqlite FULL', c)}  e/a ${ratio('e hub sqlite NORMAL', 'a bare fastify 200', c)}`);
}
