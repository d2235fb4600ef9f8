import { Redis } from 'ioredis';
import { ProviderClient, memoryBucketStore, redisBucketStore, staticToken } from '../../src/http-client/index.ts';

/**
 * A hub worker process for the shared-limit test: it offers requests to the
 * HubSpot fake at a fixed pace (open loop, so the offered load does not
 * depend on how fast answers come) and prints what it saw as one JSON line.
 */
interface Job {
  baseUrl: string;
  token: string;
  count: number;
  intervalMs: number;
  limit: number;
  windowMs: number;
  limiter: 'redis' | 'off';
  redisPrefix: string;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const redis = job.limiter === 'redis' ? new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false }) : undefined;
let waitedMs = 0;
const client = new ProviderClient({
  connectionId: 'conn_load',
  account: 'portal-62515',
  tokens: staticToken(job.token),
  buckets: redis ? redisBucketStore(redis, job.redisPrefix) : memoryBucketStore(),
  rateLimit: job.limiter !== 'off',
  onRateLimitWait: (ms) => { waitedMs += ms; },
  profile: {
    provider: 'hubspot',
    baseUrl: job.baseUrl,
    auth: { style: 'bearer' },
    rateLimits: [{ name: 'burst', points: job.limit, durationMs: job.windowMs }],
    rateLimitHeaders: { remaining: 'x-hubspot-ratelimit-remaining' },
    // With the limiter off the 429s must show, not be retried away.
    retry: { maxAttempts: job.limiter === 'off' ? 1 : 5 },
  },
});

// A fresh process loads fetch on first use, which can hold one granted request
// back by tens of milliseconds; a long-running worker is past that.
await fetch(`${job.baseUrl}/_sandbox/knobs`);

const statuses: number[] = [];
const sends: Promise<void>[] = [];
const t0 = performance.now();
for (let i = 0; i < job.count; i += 1) {
  const due = t0 + i * job.intervalMs;
  const delay = due - performance.now();
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  sends.push(client.request({ method: 'GET', path: '/crm/v3/objects/contacts', query: { limit: 1 } }).then((r) => { statuses.push(r.status); }));
}
await Promise.all(sends);
await redis?.quit();
process.stdout.write(`${JSON.stringify({ statuses, waitedMs })}\n`);
