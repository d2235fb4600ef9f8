// Token API benchmark: latency of a cached GET /connections/{id}/token
// against a real listening hub process (sequential and concurrent), and
// upstream refreshes per 100 concurrent callers on an expired token, with
// the callers split over two hub processes on one database.
// Usage: node bench/token/run.ts [--db sqlite|postgres] [--requests 3000] [--concurrency 16] [--storms 5]
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../sandbox/hubspot/app-credentials.ts';
import { sealCredentials, type Credentials } from '../../src/connections/credentials.ts';
import { newId } from '../../src/domain/ids.ts';
import { openDatabase } from '../../src/store/dialect.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { createApiKey, createTenant } from '../../src/tenancy/tenants.ts';
import { createTestDatabase, type TestDialect } from '../../test/helpers/databases.ts';
import { HubChild } from '../../test/connections/hub-child.ts';
import { newKeyRingText, vaultOf } from '../../test/connections/helpers.ts';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, requests: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' }, storms: { type: 'string', default: '5' } } });
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const STORMS = Number(values.storms);

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(url: string, headers: Record<string, string>, total: number, concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      const status = await get(url, headers);
      latencies.push(performance.now() - t0);
      if (status !== 200) throw new Error(`token read answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

async function insertConnection(store: Store, tenantId: string, keyRing: string, token: Credentials['token']): Promise<string> {
  const id = newId('connection');
  const creds: Credentials = { mode: 'oauth2', secret: {}, token };
  await store.forTenant(tenantId).connections.create({
    id, provider: 'hubspot', externalId: id, authMode: 'oauth2', sealedCredentials: sealCredentials(vaultOf(keyRing), tenantId, id, creds),
    expiresAt: token!.expiresAt, nextRefreshAt: null, config: {}, now: Date.now(),
  });
  return id;
}

async function main(): Promise<void> {
  const dialect = values.db as TestDialect;
  const tdb = await createTestDatabase(dialect, 'bench_token');
  const db = openDatabase(tdb.url, { poolMax: 4 });
  const store = createStore(db);
  await migrateUp(db.db);
  const tenantId = (await createTenant(store, 'bench', { id: 'bench' })).id;
  const key = (await createApiKey(store, tenantId, { name: 'bench', scopes: ['tokens:read'] }, { id: 'bench' })).key;
  const fake = await startHubSpot({ oauth: { rotateRefreshToken: true } });
  const keyRing = newKeyRingText();
  const providers = { hubspot: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, overrides: { 'auth.oauth2.tokenUrl': `${fake.url}/oauth/v1/token`, 'api.baseUrl': fake.url } } };
  const hubs = [0, 1].map(() => new HubChild({ databaseUrl: tdb.url, keyRing, tenantId, adminKey: key, providers }));
  try {
    await Promise.all(hubs.map((h) => h.ready()));
    const headers = { authorization: `Bearer ${key}` };
    console.log(`token API benchmark (${dialect}, hub in a child process, keep-alive HTTP/1.1, node ${process.version})`);

    const fresh = await insertConnection(store, tenantId, keyRing, { accessToken: fake.credentials.oauthAccessToken!, refreshToken: fake.credentials.oauthRefreshToken!, tokenType: 'bearer', expiresAt: Date.now() + 3600_000 });
    const url = `${hubs[0]!.url}/api/v1/connections/${fresh}/token`;
    await timed(url, headers, 300, 4); // warm-up
    for (const [label, c] of [['sequential', 1], [`concurrent x${CONCURRENCY}`, CONCURRENCY]] as const) {
      const t0 = performance.now();
      const l = await timed(url, headers, REQUESTS, c);
      const secs = (performance.now() - t0) / 1000;
      console.log(`cached GET /token ${label.padEnd(14)} n=${REQUESTS}  p50 ${fmt(pct(l, 50))}  p99 ${fmt(pct(l, 99))}  max ${fmt(l.at(-1)!)}  ${(REQUESTS / secs).toFixed(0)} req/s  (target p99 <= 2 ms)`);
    }

    const perStorm: number[] = [];
    for (let s = 0; s < STORMS; s++) {
      const installed = fake.ctx.oauth.mint(SANDBOX_CLIENT_ID, '62515', 'oauth', true);
      const id = await insertConnection(store, tenantId, keyRing, { accessToken: installed.access_token, refreshToken: installed.refresh_token!, tokenType: 'bearer', expiresAt: Date.now() - 1000 });
      const before = fake.ctx.oauth.calls.refresh_token ?? 0;
      const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => get(`${hubs[i % 2]!.url}/api/v1/connections/${id}/token`, headers)));
      if (statuses.some((st) => st !== 200)) throw new Error(`storm ${s}: statuses ${[...new Set(statuses)].join(',')}`);
      perStorm.push((fake.ctx.oauth.calls.refresh_token ?? 0) - before);
    }
    console.log(`upstream refreshes per 100 concurrent callers on an expired token (2 processes): ${perStorm.join(', ')}  (target 1 each)`);
  } finally {
    await Promise.all(hubs.map((h) => h.stop()));
    agent.destroy();
    await fake.close();
    await db.close();
    await tdb.drop();
  }
}

await main();
