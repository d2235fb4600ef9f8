import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../helpers/databases.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createTenant } from '../../src/tenancy/tenants.ts';
import { emit } from '../../src/events/outbox.ts';
import { Relay } from '../../src/events/relay.ts';
import { MemoryBus } from '../../src/events/bus/memory.ts';
import { topicNaming } from '../../src/events/bus/topics.ts';
import type { CloudEvent } from '../../src/events/bus/envelope.ts';
import type { Bus } from '../../src/events/bus/port.ts';

const silent = pino({ level: 'silent' });
const relayOpts = (id: string) => ({ id, batch: 50, leaseMs: 5_000, pollMs: 20, retryBaseMs: 10, retryMaxMs: 100, source: '/test' });

/** A bus that records publishes and can be told to fail them. */
function recordingBus(inner: Bus) {
  const published: { topic: string; event: CloudEvent; key: string | undefined }[] = [];
  let failing = false;
  const bus: Bus = {
    name: 'recording', capabilities: inner.capabilities,
    publish: async (topic, event, key) => {
      if (failing) throw new Error('broker unavailable');
      published.push({ topic, event, key });
      await inner.publish(topic, event, key);
    },
    subscribe: (...args) => inner.subscribe(...args),
    close: () => inner.close(),
  };
  return { bus, published, fail: (on: boolean) => { failing = on; } };
}

export function outboxSuite(dialect: TestDialect): void {
  describe(`outbox and relay on ${dialect}`, () => {
    let tdb: TestDatabase;
    let handle: DatabaseHandle;
    let store: Store;
    let tenantId: string;
    before(async () => {
      tdb = await createTestDatabase(dialect, 'outbox');
      handle = openDatabase(tdb.url, { poolMax: 4 });
      store = createStore(handle);
      await migrateUp(handle.db);
      tenantId = (await createTenant(store, 'ev', { id: 'test' })).id;
    });
    after(async () => {
      await handle?.close();
      await tdb?.drop();
    });

    test('an event exists if and only if its transaction commits', async () => {
      await assert.rejects(store.transaction(async (tx) => {
        await emit(tx, { tenantId, type: 'webhook.received', data: { n: 1 }, dedupKey: 'rolled-back' });
        throw new Error('the change failed');
      }));
      await store.transaction((tx) => emit(tx, { tenantId, type: 'webhook.received', data: { n: 2 }, dedupKey: 'kept' }));
      await emit(store, { tenantId, type: 'webhook.received', data: { n: 3 }, dedupKey: 'kept' });
      const rows = await store.forTenant(tenantId).outbox.list();
      assert.deepEqual(rows.map((r) => r.dedup_key), ['kept'], 'rolled back: absent; same cause twice: once');
    });

    test('the relay publishes in order per partition, at least once, and holds a partition back while it fails', async () => {
      const rec = recordingBus(new MemoryBus());
      const relay = new Relay(store, rec.bus, topicNaming('switchyard.{tenant}.{type}'), silent, relayOpts('r1'));
      for (let i = 0; i < 10; i++) await emit(store, { tenantId, type: 'webhook.received', data: { i }, partitionKey: i % 2 ? 'odd' : 'even', dedupKey: `order-${i}` });
      rec.fail(true);
      assert.equal(await relay.once(), 0, 'nothing is published while the broker is down');
      const backlog = await store.outbox.backlog(Date.now());
      assert.ok(backlog.unpublished >= 10);
      rec.fail(false);
      let total = 0;
      for (let i = 0; i < 50 && (await store.outbox.backlog(Date.now())).unpublished > 0; i++) {
        total += await relay.once();
        await new Promise((r) => setTimeout(r, 30));
      }
      assert.ok(total >= 10);
      const mine = rec.published.filter((p) => String(p.event.data && (p.event.data as { i?: number }).i) !== 'undefined');
      const seq = (key: string) => mine.filter((p) => p.key === key).map((p) => (p.event.data as { i: number }).i);
      assert.deepEqual(seq('even'), [0, 2, 4, 6, 8]);
      assert.deepEqual(seq('odd'), [1, 3, 5, 7, 9]);
      assert.equal(mine[0]!.topic, `switchyard.${tenantId}.webhook.received`);
      assert.equal(mine[0]!.event.specversion, '1.0');
      assert.equal(mine[0]!.event.tenant, tenantId);
      assert.equal((await store.outbox.backlog(Date.now())).unpublished, 0);
    });

    test('partitions are published side by side, each one event at a time, and a failing one holds back only itself', async () => {
      // The broker answers after a turn of the event loop, and refuses partition "bad".
      const inFlight = new Map<string, number>();
      const most = { key: 0, all: 0 };
      const order: string[] = [];
      const inner = new MemoryBus();
      let refuse = true;
      const bus: Bus = {
        name: 'slow', capabilities: inner.capabilities,
        publish: async (topic, event, key) => {
          const k = key ?? '';
          inFlight.set(k, (inFlight.get(k) ?? 0) + 1);
          most.key = Math.max(most.key, inFlight.get(k)!);
          most.all = Math.max(most.all, [...inFlight.values()].reduce((a, b) => a + b, 0));
          await new Promise((r) => setTimeout(r, 1));
          inFlight.set(k, inFlight.get(k)! - 1);
          if (k === 'side-bad' && refuse) throw new Error('broker refused it');
          order.push(`${k}:${(event.data as { i: number }).i}`);
          await inner.publish(topic, event, key);
        },
        subscribe: (...args) => inner.subscribe(...args),
        close: () => inner.close(),
      };
      const keys = ['side-a', 'side-b', 'side-c', 'side-bad'];
      for (let i = 0; i < 20; i++) await emit(store, { tenantId, type: 'webhook.received', data: { i }, partitionKey: keys[i % 4], dedupKey: `side-${i}` });
      const relay = new Relay(store, bus, topicNaming(), silent, relayOpts('r-side'));
      await store.leases.release('outbox-relay', 'r1'); // the first relay test's
      assert.equal(await relay.once(), 15, 'every event but the refused partition\'s');
      assert.equal(most.key, 1, 'never two events of one partition at once');
      assert.equal(most.all, 4, 'all four partitions at once');
      for (const k of ['side-a', 'side-b', 'side-c']) {
        const seq = order.filter((o) => o.startsWith(`${k}:`)).map((o) => Number(o.split(':')[1]));
        assert.deepEqual(seq, [...seq].sort((x, y) => x - y), `${k} in order`);
        assert.equal(seq.length, 5);
      }
      // The refused partition stopped at its first event; the rest of it waits.
      const bad = (await store.forTenant(tenantId).outbox.list({ limit: 500 })).filter((r) => r.partition_key === 'side-bad').reverse();
      assert.deepEqual(bad.map((r) => [r.published_at === null, r.attempts]), [[true, 1], [true, 0], [true, 0], [true, 0], [true, 0]]);
      // Accepted again, after its retry delay: the held-back partition follows in order.
      refuse = false;
      for (let i = 0; i < 50 && (await store.outbox.backlog(Date.now())).unpublished > 0; i++) {
        await relay.once();
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(order.filter((o) => o.startsWith('side-bad:')), ['side-bad:3', 'side-bad:7', 'side-bad:11', 'side-bad:15', 'side-bad:19']);
      // concurrency 1: one event at a time, as before partitions went side by side.
      for (let i = 20; i < 24; i++) await emit(store, { tenantId, type: 'webhook.received', data: { i }, partitionKey: keys[i % 4], dedupKey: `side-${i}` });
      most.all = 0;
      await store.leases.release('outbox-relay', 'r-side');
      const serial = new Relay(store, bus, topicNaming(), silent, { ...relayOpts('r-serial'), concurrency: 1 });
      assert.equal(await serial.once(), 4);
      assert.equal(most.all, 1);
      await store.leases.release('outbox-relay', 'r-serial');
    });

    test('two relays: each event is published once', async () => {
      const rec = recordingBus(new MemoryBus());
      const a = new Relay(store, rec.bus, topicNaming(), silent, relayOpts('relay-a'));
      const b = new Relay(store, rec.bus, topicNaming(), silent, relayOpts('relay-b'));
      a.start();
      b.start();
      try {
        for (let i = 0; i < 200; i++) await emit(store, { tenantId, type: 'webhook.processed', data: { i }, partitionKey: `p${i % 7}`, dedupKey: `two-${i}` });
        for (let i = 0; i < 500 && (await store.outbox.backlog(Date.now())).unpublished > 0; i++) await new Promise((r) => setTimeout(r, 20));
      } finally {
        await a.stop();
        await b.stop();
      }
      const ids = rec.published.map((p) => p.event.id);
      assert.equal(ids.length, 200);
      assert.equal(new Set(ids).size, 200, 'no event was published twice');
    });
  });
}
