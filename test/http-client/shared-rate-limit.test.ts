import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startHubSpot } from '../../sandbox/hubspot/index.ts';
import type { LoggedRequest } from '../../sandbox/core/request-log.ts';

/*
 * Two hub worker processes share one Redis bucket for one HubSpot account and
 * together offer three times the documented burst limit (100 per window; the
 * window is shortened to 2 s so the test is quick). The fake enforces the
 * rolling window exactly as HubSpot answers it.
 */
const run = promisify(execFile);
const worker = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
const LIMIT = 100;
const WINDOW_MS = 2_000;
const PER_WORKER = 240;
// Each worker offers 1.5× the limit, so the pair offers 3×.
const INTERVAL_MS = WINDOW_MS / (LIMIT * 1.5);

let fake: Awaited<ReturnType<typeof startHubSpot>>;

before(async () => {
  fake = await startHubSpot({ knobs: { burstLimit: LIMIT, burstWindowMs: WINDOW_MS } });
});
after(async () => {
  await fake.close();
});

async function drive(limiter: 'redis' | 'off'): Promise<{ statuses: number[]; waitedMs: number }[]> {
  const job = {
    baseUrl: fake.url, token: fake.credentials.accessToken, count: PER_WORKER, intervalMs: INTERVAL_MS,
    limit: LIMIT, windowMs: WINDOW_MS, limiter, redisPrefix: `switchyard:test:${randomUUID()}:`,
  };
  const runs = await Promise.all([0, 1].map(() => run(process.execPath, [worker, JSON.stringify(job)], { maxBuffer: 1 << 20 })));
  return runs.map((r) => JSON.parse(r.stdout.trim()) as { statuses: number[]; waitedMs: number });
}

async function log(): Promise<LoggedRequest[]> {
  const res = await fetch(`${fake.url}/_sandbox/requests?pathPrefix=/crm/v3/objects/contacts`);
  return ((await res.json()) as { requests: LoggedRequest[] }).requests;
}

test('two processes sharing a Redis bucket offer 3× the limit: the fake sees zero 429s and ≥ 90% of the limit', async () => {
  await fetch(`${fake.url}/_sandbox/reset`, { method: 'POST' });
  const results = await drive('redis');
  const entries = await log();
  const ok = entries.filter((e) => e.status === 200);
  const limited = entries.filter((e) => e.status === 429);

  assert.equal(limited.length, 0, 'the fake answered 429 although the limiter was on');
  assert.equal(ok.length, 2 * PER_WORKER);
  for (const r of results) assert.deepEqual(new Set(r.statuses), new Set([200]));
  assert.ok(results.every((r) => r.waitedMs > 0), 'both processes waited on the shared bucket');

  // Achieved rate, on the fake's own clock, against the documented rate.
  const times = ok.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  const spanMs = times.at(-1)! - times[0]!;
  const windows = spanMs / WINDOW_MS;
  const ratio = (ok.length - 1) / spanMs / (LIMIT / WINDOW_MS);
  console.log(`shared limiter: ${ok.length} requests over ${windows.toFixed(2)} windows, ${(ratio * 100).toFixed(1)}% of the limit, 0 × 429`);
  assert.ok(windows >= 4, `the run should span several windows, spanned ${windows.toFixed(2)}`);
  assert.ok(ratio >= 0.9, `throughput ${ratio.toFixed(3)} of the limit is below 0.9`);
});

test('the same load with the limiter off meets many 429s', async () => {
  await fetch(`${fake.url}/_sandbox/reset`, { method: 'POST' });
  const results = await drive('off');
  const entries = await log();
  const limited = entries.filter((e) => e.status === 429).length;
  const ok = entries.filter((e) => e.status === 200).length;
  console.log(`limiter off: ${ok} × 200, ${limited} × 429 of ${2 * PER_WORKER}`);
  assert.equal(ok + limited, 2 * PER_WORKER);
  assert.ok(limited >= (2 * PER_WORKER) / 4, `expected many 429s, got ${limited}`);
  assert.equal(results.flatMap((r) => r.statuses).filter((s) => s === 429).length, limited);
});
