import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import pino from 'pino';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../helpers/databases.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { Queue } from '../../src/queue/queue.ts';
import { Worker } from '../../src/queue/worker.ts';
import { memoryNudger } from '../../src/queue/nudge.ts';
import { PermanentFailure, RetryLater } from '../../src/queue/types.ts';
import { waitFor } from '../helpers/wait.ts';

const silent = pino({ level: process.env.TEST_LOG ?? 'silent' });

export function queueSuite(dialect: TestDialect): void {
  describe(`queue on ${dialect}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    let store: Store;
    let tenantId: string;

    before(async () => {
      tdb = await createTestDatabase(dialect, 'queue');
      handle = openDatabase(tdb.url, { poolMax: 6 });
      store = createStore(handle);
      await migrateUp(handle.db);
      tenantId = (await createTenant(store, 'q', { id: 'test' })).id;
    });
    after(async () => {
      await handle?.close();
      await tdb?.drop();
    });

    test('retries follow the schedule, honour Retry-After, then go dead; replay brings the job back', async () => {
      let clock = 1_000_000;
      let failWith: () => Error = () => new Error('upstream 500');
      let calls = 0;
      const queue = new Queue(memoryNudger(), { now: () => clock });
      queue.register({ kind: 'test.flaky', retrySchedule: [1_000, 5_000, 20_000], handle: async () => { calls++; throw failWith(); } });
      const worker = new Worker(store, queue, silent, { concurrency: 1, leaseMs: 60_000, pollMs: 5, random: () => 0.5, now: () => clock });
      const id = (await queue.enqueue(store, { tenantId, payload: { kind: 'test.flaky', v: 1 }, runAt: clock }))!;
      const job = () => store.forTenant(tenantId).jobs.get(id);
      worker.start();
      try {
        await waitFor(async () => (await job())?.attempts === 1 && (await job())?.status === 'retrying');
        assert.equal((await job())!.run_at, clock + 1_000, 'first retry after 1 s (jitter centred at 0.5)');

        clock += 999;
        await new Promise((r) => setTimeout(r, 50));
        assert.equal((await job())!.attempts, 1, 'not retried before its time');

        failWith = () => new RetryLater('429', 7_000);
        clock += 1;
        await waitFor(async () => (await job())?.attempts === 2 && (await job())?.status === 'retrying');
        assert.equal((await job())!.run_at, clock + 7_000, 'Retry-After wins over the 5 s step');

        failWith = () => new Error('still broken');
        clock += 7_000;
        await waitFor(async () => (await job())?.attempts === 3 && (await job())?.status === 'retrying');
        assert.equal((await job())!.run_at, clock + 20_000);

        clock += 20_000;
        await waitFor(async () => (await job())?.status === 'dead');
        const dead = (await job())!;
        assert.equal(dead.attempts, 4, 'one try plus three retries');
        assert.match(dead.last_error ?? '', /still broken/);

        clock += 10_000_000;
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(calls, 4, 'a dead job is never picked up again by itself');

        failWith = () => new PermanentFailure('bad payload');
        assert.deepEqual(await queue.replay(store, tenantId, [id]), [id]);
        await waitFor(async () => (await job())?.status === 'dead' && (await job())?.attempts === 5);
        assert.equal(calls, 5, 'a permanent failure goes dead without retries');

        queue.kinds.get('test.flaky')!.handle = async () => { calls++; };
        await queue.replay(store, tenantId, [id]);
        await waitFor(async () => (await job())?.status === 'completed');
        const attempts = await store.forTenant(tenantId).jobs.attempts(id);
        assert.deepEqual(attempts.map((a) => [a.attempt, a.outcome]), [[1, 'failed'], [2, 'failed'], [3, 'failed'], [4, 'failed'], [5, 'failed'], [6, 'completed']]);
        assert.ok(attempts.every((a) => a.finished_at !== null && a.started_at <= a.finished_at));
      } finally {
        await worker.stop();
      }
    });

    test('a lost lease is reclaimed by another worker, and the old worker cannot finish it', async () => {
      const queue = new Queue(memoryNudger());
      const t0 = 5_000_000;
      const id = (await queue.enqueue(store, { tenantId, payload: { kind: 'test.lease', v: 1 }, runAt: t0 }))!;
      const [a] = await store.queue.claim({ worker: 'A', limit: 10, leaseMs: 1_000, now: t0, kinds: ['test.lease'] });
      assert.equal(a?.id, id);
      assert.deepEqual(await store.queue.claim({ worker: 'B', limit: 10, leaseMs: 1_000, now: t0 + 500, kinds: ['test.lease'] }), [], 'leased jobs are not claimable');
      assert.equal(await store.queue.heartbeat('A', [id], t0 + 1_500), 1, 'A extends its lease');
      assert.deepEqual(await store.queue.claim({ worker: 'B', limit: 10, leaseMs: 1_000, now: t0 + 1_200, kinds: ['test.lease'] }), []);

      const [b] = await store.queue.claim({ worker: 'B', limit: 10, leaseMs: 1_000, now: t0 + 1_600, kinds: ['test.lease'] });
      assert.equal(b?.id, id, 'A died: B reclaims after the lease ran out');
      assert.equal(b?.attempts, 2);
      assert.equal(await store.queue.complete({ id, attempts: 1 }, 'A', t0 + 1_700), false, 'A is fenced off');
      assert.equal(await store.queue.heartbeat('A', [id], t0 + 9_000), 0);
      assert.equal(await store.queue.complete({ id, attempts: 2 }, 'B', t0 + 1_800), true);
      const attempts = await store.forTenant(tenantId).jobs.attempts(id);
      assert.deepEqual(attempts.map((x) => [x.attempt, x.worker, x.outcome]), [[1, 'A', 'lost'], [2, 'B', 'completed']]);
    });

    test('a job whose worker dies on its last attempt is buried, not run forever', async () => {
      const queue = new Queue(memoryNudger());
      queue.register({ kind: 'test.crashy', retrySchedule: [], handle: async () => undefined });
      const t0 = 6_000_000;
      const id = (await queue.enqueue(store, { tenantId, payload: { kind: 'test.crashy', v: 1 }, runAt: t0 }))!;
      assert.equal((await store.queue.claim({ worker: 'A', limit: 1, leaseMs: 100, now: t0, kinds: ['test.crashy'] })).length, 1);
      assert.deepEqual(await store.queue.claim({ worker: 'B', limit: 1, leaseMs: 100, now: t0 + 200, kinds: ['test.crashy'] }), []);
      assert.equal(await store.queue.buryExpired(t0 + 200), 1);
      assert.equal((await store.forTenant(tenantId).jobs.get(id))?.status, 'dead');
    });

    test('a dedup key enqueues once', async () => {
      const queue = new Queue(memoryNudger());
      const first = await queue.enqueue(store, { tenantId, payload: { kind: 'test.tick', v: 1 }, dedupKey: 'tick:2026-11-25T10:00' });
      const second = await queue.enqueue(store, { tenantId, payload: { kind: 'test.tick', v: 1 }, dedupKey: 'tick:2026-11-25T10:00' });
      assert.ok(first);
      assert.equal(second, undefined);
      assert.equal((await store.forTenant(tenantId).jobs.list({ kind: 'test.tick' })).items.length, 1);
    });

    test('enqueue joins the caller\'s transaction', async () => {
      const queue = new Queue(memoryNudger());
      await assert.rejects(store.transaction(async (tx) => {
        await queue.enqueue(tx, { tenantId, payload: { kind: 'test.tx', v: 1 } });
        throw new Error('caller failed');
      }));
      assert.equal((await store.forTenant(tenantId).jobs.list({ kind: 'test.tx' })).items.length, 0);
    });

    test('FIFO per ordering key holds with several workers in separate processes', async () => {
      await handle.db.schema.createTable('fifo_log')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('job_key', 'varchar(20)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('marker', 'varchar(10)', (c) => c.notNull())
        .addColumn('worker', 'varchar(10)', (c) => c.notNull())
        .execute();
      const queue = new Queue(memoryNudger());
      const keys = ['k1', 'k2', 'k3'];
      const perKey = 15;
      const children: ChildProcess[] = [];
      try {
        for (const name of ['w1', 'w2', 'w3']) {
          const child = spawn(process.execPath, [new URL('./fifo-worker.ts', import.meta.url).pathname, name], { env: { ...process.env, DATABASE_URL: tdb.url }, stdio: ['ignore', 'pipe', 'inherit'] });
          children.push(child);
          await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
        }
        // Enqueue after every worker is polling, in one transaction, so all of them compete.
        await store.transaction(async (tx) => {
          for (let seq = 0; seq < perKey; seq++) {
            for (const key of keys) await queue.enqueue(tx, { tenantId, payload: { kind: 'test.fifo', v: 1, key, seq }, orderingKey: key });
          }
        });
        await waitFor(async () => (await store.forTenant(tenantId).jobs.list({ kind: 'test.fifo', status: 'completed', limit: 200 })).items.length === keys.length * perKey, 60_000);
      } finally {
        await Promise.all(children.map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); })));
      }
      const log = (await sql<{ job_key: string; seq: number; marker: string; worker: string }>`select job_key, seq, marker, worker from fifo_log order by id`.execute(handle.db)).rows;
      const workers = new Set(log.map((r) => r.worker));
      assert.ok(workers.size >= 2, `work was shared across processes (${[...workers].join(',')})`);
      for (const key of keys) {
        const seen = log.filter((r) => r.job_key === key).map((r) => `${r.marker}:${r.seq}`);
        const expected = Array.from({ length: perKey }, (_, i) => [`start:${i}`, `end:${i}`]).flat();
        assert.deepEqual(seen, expected, `key ${key} ran one at a time, in order`);
      }
    });

    test('stats count depth by status and the oldest due age', async () => {
      const now = Date.now();
      const stats = await store.queue.stats(now);
      // Left by the tests above: the buried crashy job, and the tick nobody runs.
      assert.equal(stats.byStatus.dead, 1);
      assert.equal(stats.byStatus.pending, 1);
      assert.equal(stats.byStatus.processing, 0);
      const tick = (await store.forTenant(tenantId).jobs.list({ kind: 'test.tick' })).items[0]!;
      assert.equal(stats.oldestDueAgeMs, now - tick.run_at);
    });
  });
}
