// Ingest benchmark: req/s and latency of the hub's full ingest (verify,
// dedup, durable commit) against a bare Fastify 200 measured in the same run.
// Usage: node bench/ingest/run.ts [--duration 5] [--runs 3] [--connections 50,200] [--only a,b]
//          [--load wrk|autocannon] [--ids random|sequential] [--cpu-prof DIR]
// Each of --runs rounds measures every target at every connection count; the
// ratios are medians of the per-round ratios.
// --load: wrk (the default when it is installed: apt-get install wrk) costs
// the shared CPUs a third of what autocannon does per request, so the
// baseline measures the server rather than the client.
// --ids: random delivery ids (the default) are what GitHub and every other
// provider send; sequential ones make the dedup index append-only and flatter
// the hub by about a third.
// --cpu-prof writes one V8 CPU profile per server process into DIR (open it in Chrome DevTools).
// On Linux the bench ends with µs of CPU per request by server thread (bench/ingest/cpu.ts) and for wrk.
// Targets: a bare Fastify 200; b-e the hub (SQLite FULL, PostgreSQL, one
// commit per request, SQLite NORMAL); f and g bench/ingest/reference-server.ts,
// the bare minimum that commits before it answers, storing one indexed row
// (f) or the hub's event and job rows in the hub's tables (g). f/a calibrates
// the target against the design it was set with, g/a is the cost of the rows
// the hub must store, and b/g what the hub adds on top (docs/webhooks.md).
// h is the hub on MariaDB (the store's transaction on the pool).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase, type TestDialect } from '../../test/helpers/databases.ts';
import { openDatabase } from '../../src/store/dialect.ts';
import { createStore } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { createSource } from '../../src/webhooks/sources.ts';
import { Vault, formatKeyRing, generateMasterKey, parseKeyRing } from '../../src/vault/index.ts';
import { freePort } from '../../test/helpers/ports.ts';
import { perRequest, procAvailable, snapshot, type ThreadClass } from './cpu.ts';

const MASTER_KEYS = formatKeyRing([generateMasterKey()]);
const vault = new Vault(parseKeyRing(MASTER_KEYS));

const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, runs: { type: 'string', default: '3' }, connections: { type: 'string', default: '50,200' }, only: { type: 'string' }, load: { type: 'string' }, ids: { type: 'string', default: 'random' }, 'cpu-prof': { type: 'string' } } });
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
  start: () => Promise<{ url: string; pid: number; stop: () => Promise<void> }>;
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

/** A fresh database with the hub's schema, a tenant and a GitHub source signed with SECRET. */
async function benchDatabase(dialect: TestDialect) {
  const tdb = await createTestDatabase(dialect, 'bench');
  const h = openDatabase(tdb.url);
  await migrateUp(h.db);
  const store = createStore(h);
  const tenant = await createTenant(store, 'bench', { id: 'bench' });
  const source = await createSource(store, vault, tenant.id, { provider: 'github', name: 'bench', secrets: [SECRET] }, { id: 'bench' });
  await h.close();
  return { tdb, tenantId: tenant.id, sourceId: source.id };
}

function hubTarget(name: string, dialect: TestDialect, env: Record<string, string>): Target {
  return {
    name,
    start: async () => {
      const { tdb, sourceId } = await benchDatabase(dialect);
      const port = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-'));
      const p = proc([...prof, 'src/cli/main.ts', 'start', '--role', 'api'], { MASTER_KEYS, DATA_DIR: dataDir, DATABASE_URL: tdb.url, PORT: String(port), LOG_LEVEL: 'error', RATE_LIMIT_MAX: '100000000', ...env });
      await waitHealthy(port);
      return { url: `http://127.0.0.1:${port}/api/v1/webhooks/github/${sourceId}`, pid: p.pid!, stop: async () => { await stopProc(p); await tdb.drop(); rmSync(dataDir, { recursive: true, force: true }); } };
    },
  };
}

/** bench/ingest/reference-server.ts on a fresh SQLite file: with the hub's rows, in the hub's migrated tables. */
function referenceTarget(name: string, rows: 'minimal' | 'hub'): Target {
  return {
    name,
    start: async () => {
      const { tdb, tenantId, sourceId } = await benchDatabase('sqlite');
      const port = await freePort();
      const p = proc([...prof, 'bench/ingest/reference-server.ts'], { PORT: String(port), REFERENCE_ROWS: rows, DATABASE_FILE: tdb.url.replace(/^sqlite:/, ''), SECRET, TENANT_ID: tenantId, SOURCE_ID: sourceId });
      await waitHealthy(port);
      return { url: `http://127.0.0.1:${port}/api/v1/webhooks/github/${sourceId}`, pid: p.pid!, stop: async () => { await stopProc(p); await tdb.drop(); } };
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
      return { url: `http://127.0.0.1:${port}/api/v1/webhooks/github/src_bare`, pid: p.pid!, stop: () => stopProc(p) };
    },
  },
  hubTarget('b hub sqlite FULL', 'sqlite', { SQLITE_SYNCHRONOUS: 'FULL' }),
  hubTarget('c hub postgres', 'postgres', {}),
  hubTarget('d naive sqlite FULL', 'sqlite', { SQLITE_SYNCHRONOUS: 'FULL', INGEST_GROUP_COMMIT: 'false' }),
  hubTarget('e hub sqlite NORMAL', 'sqlite', { SQLITE_SYNCHRONOUS: 'NORMAL' }),
  referenceTarget('f reference minimal', 'minimal'),
  referenceTarget('g reference hub rows', 'hub'),
  hubTarget('h hub mariadb', 'mysql', {}),
];

// Every request carries the same signed body; only the delivery id, which
// the hub deduplicates on, changes. GitHub signs the body alone.
const BODY = JSON.stringify({ action: 'opened', issue: { number: 1347, title: 'benchmark issue' } });
const SIGNATURE = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
const RANDOM_IDS = values.ids === 'random';
if (!['random', 'sequential'].includes(values.ids!)) throw new Error('--ids takes random or sequential');
const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as { code?: string }).code !== 'ENOENT'; // wrk --version prints its usage and exits 1
  }
})();
const LOAD = values.load ?? (hasWrk ? 'wrk' : 'autocannon');
if (LOAD === 'wrk' && !hasWrk) throw new Error('--load wrk: wrk is not installed (apt-get install wrk)');
if (!['wrk', 'autocannon'].includes(LOAD)) throw new Error('--load takes wrk or autocannon');
console.log(`load: ${LOAD}${!hasWrk ? ' (wrk is not installed: apt-get install wrk)' : ''}, ${values.ids} delivery ids, ${DURATION} s per run, ${RUNS} rounds`);

interface Run { rps: number; p50: number; p99: number; non2xx: number; cpu?: Record<ThreadClass, number>; loadCpuUs?: number }
let loadRun = 0;

function autocannonLoad(url: string, connections: number): Promise<Run> {
  const prefix = `b${process.pid}r${++loadRun}-`;
  let seq = 0;
  return new Promise((resolve, reject) => {
    autocannon({
      url, connections, duration: DURATION, method: 'POST',
      requests: [{
        setupRequest: (req) => ({ ...req, body: BODY, headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': RANDOM_IDS ? randomUUID() : `${prefix}${++seq}`, 'x-hub-signature-256': SIGNATURE } }),
      }],
    }, (err, r) => (err ? reject(err) : resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors })));
  });
}

const luaDir = mkdtempSync(join(tmpdir(), 'sy-bench-wrk-'));
const lua = join(luaDir, 'github.lua');
writeFileSync(lua, `
local n = 0
local prefix = 'b'
function init(args) prefix = args[1]; math.randomseed(os.time() + #prefix * 7919) end
request = function()
  n = n + 1
  local id
  if ${RANDOM_IDS} then
    id = string.format('%08x-%04x-4%03x-%04x-%04x%08x', math.random(0, 0xffffffff), math.random(0, 0xffff), math.random(0, 0xfff), math.random(0x8000, 0xbfff), math.random(0, 0xffff), n)
  else
    id = prefix .. n
  end
  return wrk.format('POST', nil, { ['content-type'] = 'application/json', ['x-github-event'] = 'issues', ['x-github-delivery'] = id, ['x-hub-signature-256'] = '${SIGNATURE}' }, '${BODY}')
end
`);

/** wrk's latency figures come with a unit: 850.00us, 1.24ms, 1.02s. */
function ms(text: string, label: string): number {
  const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
  if (!m) throw new Error(`no ${label}% latency in wrk's output:\n${text}`);
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as const)[m[2] as 'us' | 'ms' | 's'];
}

function wrkLoad(url: string, connections: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    // bash's `times` prints, last, the CPU its children (wrk) used: user and system.
    const args = ['-t1', `-c${connections}`, `-d${DURATION}s`, '--latency', '-s', lua, url, '--', `b${process.pid}r${++loadRun}-`];
    execFile('bash', ['-c', 'wrk "$@" && times', 'bash', ...args], (err, out) => {
      if (err) return reject(err);
      const used = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(out.trimEnd().split('\n').at(-1)!);
      const loadSeconds = used ? Number(used[1]) * 60 + Number(used[2]) + Number(used[3]) * 60 + Number(used[4]) : NaN;
      const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
      if (!rps) return reject(new Error(`no Requests/sec in wrk's output:\n${out}`));
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const errors = socketErrors ? socketErrors.slice(1).reduce((a, x) => a + Number(x), 0) : 0;
      resolve({ rps: Number(rps[1]), p50: ms(out, '50'), p99: ms(out, '99'), non2xx: non2xx + errors, loadCpuUs: (loadSeconds * 1e6) / (Number(rps[1]) * DURATION) });
    });
  });
}

const load = LOAD === 'wrk' ? wrkLoad : autocannonLoad;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
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
        const before = snapshot(server.pid);
        const r = await load(server.url, c);
        if (procAvailable) r.cpu = perRequest(before, snapshot(server.pid), r.rps * DURATION);
        const key = `${target.name}@${c}`;
        runs.set(key, [...(runs.get(key) ?? []), r]);
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
    console.log(`${target.name.padEnd(22)} c=${String(c).padEnd(4)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50.toFixed(1).padStart(5)} ms  p99 ${m.p99.toFixed(1).padStart(6)} ms  non-2xx ${m.non2xx}  (median of ${RUNS}: ${rs.map((r) => r.rps.toFixed(0)).join(', ')})`);
  }
}

// Where the CPU goes: µs of CPU per request, by thread, medians of the rounds.
// Two cores give ~2,000,000 µs a second to share between them all.
if (procAvailable) {
  console.log('CPU µs per request (medians): the server\'s event loop, its writer thread, its other threads (GC, libuv), and the load generator');
  for (const target of chosen) {
    for (const c of CONNECTIONS) {
      const rs = runs.get(`${target.name}@${c}`)!;
      const of = (f: (r: Run) => number | undefined) => {
        const m = median(rs.map((r) => f(r) ?? NaN));
        return (Number.isFinite(m) ? m.toFixed(0) : '–').padStart(4); // autocannon runs in this process: not counted
      };
      console.log(`  ${target.name.padEnd(22)} c=${String(c).padEnd(4)} event loop ${of((r) => r.cpu?.['event loop'])}  writer ${of((r) => r.cpu?.writer)}  other ${of((r) => r.cpu?.other)}  load ${of((r) => r.loadCpuUs)}`);
    }
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
  const [a, b] = ['a bare fastify 200', 'b hub sqlite FULL'];
  console.log(`c=${c}: b/a ${ratio(b, a, c)}  c/a ${ratio('c hub postgres', a, c)}  b/d ${ratio(b, 'd naive sqlite FULL', c)}  e/a ${ratio('e hub sqlite NORMAL', a, c)}`);
  console.log(`c=${c}: f/a ${ratio('f reference minimal', a, c)}  g/a ${ratio('g reference hub rows', a, c)}  b/g ${ratio(b, 'g reference hub rows', c)}  h/a ${ratio('h hub mariadb', a, c)}`);
}
rmSync(luaDir, { recursive: true, force: true });
