import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { busFromUrl } from '../../src/events/bus/from-url.ts';
import { createEvent, type CloudEvent } from '../../src/events/bus/envelope.ts';
import { dedupe, MemorySeenStore } from '../../src/events/bus/dedupe.ts';
import { RedisSeenStore } from '../../src/events/bus/dedupe-redis.ts';
import { connectRedis } from '../../src/events/bus/redis-connect.ts';
import type { Bus, DeliveryContext, SubscribeOptions } from '../../src/events/bus/port.ts';
import { waitFor } from '../helpers/wait.ts';
import { ConsumerChild } from './children.ts';

/**
 * The bus contract, run against every adapter on a real broker. Where an
 * adapter documents a weaker guarantee (capabilities), the test asserts that
 * documented behaviour instead of skipping.
 */
export interface BusTarget {
  name: string;
  /** BUS_URL for this run; `run` is unique per test run and safe in names. */
  url(run: string): string;
  /** Removes everything the run created on the broker. */
  cleanup(bus: Bus, run: string, subscriptions: { group: string; pattern: string }[]): Promise<void>;
}

export function busContract(target: BusTarget): void {
  describe(`bus contract: ${target.name}`, () => {
    const run = `sy${randomBytes(5).toString('hex')}`;
    const url = target.url(run);
    const subscribed: { group: string; pattern: string }[] = [];
    const children: ConsumerChild[] = [];
    let bus: Bus;
    let redis: Redis;

    const topic = (name: string) => `${run}.ten_a.${name}`;
    const event = (type: string, data: unknown = {}) => createEvent({ type, tenant: 'ten_a', data, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const sub = async (pattern: string, group: string, handler: (e: CloudEvent, ctx: DeliveryContext) => unknown, opts: SubscribeOptions = {}) => {
      subscribed.push({ group, pattern });
      return bus.subscribe(pattern, group, async (e, ctx) => { await handler(e, ctx); }, { retryDelayMs: 200, ...opts });
    };
    const child = (name: string, group: string, mode: 'ack' | 'ack-first' = 'ack') => {
      subscribed.push({ group, pattern: topic(name) });
      const c = new ConsumerChild({ BUS_URL: url, TOPIC: topic(name), GROUP: group, MODE: mode });
      children.push(c);
      return c;
    };

    before(async () => {
      bus = await busFromUrl(url);
      redis = await connectRedis('redis://127.0.0.1:6379');
    });

    after(async () => {
      await Promise.all(children.map((c) => c.kill()));
      await target.cleanup(bus, run, subscribed);
      for await (const keys of redis.scanStream({ match: `${run}:*`, count: 500 })) if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
      await bus.close();
      redis.disconnect();
    });

    test('publish then consume: every group gets the event, with its envelope intact; patterns match by segment', async () => {
      const got: { group: string; e: CloudEvent; ctx: DeliveryContext }[] = [];
      await sub(topic('created'), 'g1', (e, ctx) => { got.push({ group: 'g1', e, ctx }); });
      await sub(topic('created'), 'g2', (e, ctx) => { got.push({ group: 'g2', e, ctx }); });
      const patterned: string[] = [];
      await sub(`${run}.*.created`, 'gp', (_e, ctx) => { patterned.push(ctx.topic); });
      const sent = event('request.created', { row: ['a', 1], nested: { ok: true } });
      await bus.publish(topic('created'), sent, 'k1');
      await bus.publish(`${run}.ten_a.other.created`, event('request.other'));
      await bus.publish(`${run}.ten_b.created`, event('request.created'));
      await waitFor(() => got.length === 2 && patterned.length === 2);
      assert.deepEqual(got.map((g) => g.group).sort(), ['g1', 'g2']);
      for (const g of got) {
        assert.deepEqual(g.e, sent);
        assert.equal(g.ctx.topic, topic('created'));
      }
      assert.deepEqual(patterned.sort(), [`${run}.ten_a.created`, `${run}.ten_b.created`], '* matches one segment only');
    });

    test('a thrown handler is a nack: redelivered where the broker redelivers, dropped on pub/sub', async () => {
      const attempts: DeliveryContext[] = [];
      await sub(topic('nack'), 'gn', (_e, ctx) => {
        attempts.push(ctx);
        if (attempts.length === 1) throw new Error('first attempt fails');
      });
      const marker: string[] = [];
      await sub(topic('nack'), 'gn-marker', (e) => { marker.push(e.type); });
      await bus.publish(topic('nack'), event('job.failing'));
      if (bus.capabilities.redelivery) {
        await waitFor(() => attempts.length === 2);
        assert.equal(attempts[0]!.redelivered, false);
        assert.equal(attempts[1]!.redelivered, true);
        if (attempts[1]!.attempt !== undefined) assert.equal(attempts[1]!.attempt, 2);
      } else {
        // Pub/sub has no ack to withhold: once the later marker is through, the failed event is gone.
        await bus.publish(topic('nack'), event('job.marker'));
        await waitFor(() => marker.length === 2 && attempts.length === 2);
        assert.equal(attempts.filter((a) => a.redelivered).length, 0);
      }
    });

    test('consumer groups share load across two processes (pub/sub: every process gets every event)', async () => {
      const count = 40;
      const sent: string[] = [];
      if (!bus.capabilities.crossProcess) {
        // In-process adapter: two members of one group in this process.
        const a: string[] = [];
        const b: string[] = [];
        await sub(topic('share'), 'gs', (e) => { a.push(e.id); });
        await sub(topic('share'), 'gs', (e) => { b.push(e.id); });
        for (let i = 0; i < count; i++) { const e = event('share'); sent.push(e.id); await bus.publish(topic('share'), e); }
        await waitFor(() => a.length + b.length >= count);
        assert.deepEqual([...a, ...b].sort(), [...sent].sort(), 'each event handled once by the group');
        assert.ok(a.length > 0 && b.length > 0, `both members got work (${a.length}/${b.length})`);
        return;
      }
      const one = child('share', 'gs');
      const two = child('share', 'gs');
      await Promise.all([one.ready(), two.ready()]);
      for (let i = 0; i < count; i++) { const e = event('share'); sent.push(e.id); await bus.publish(topic('share'), e); }
      if (bus.capabilities.groups) {
        await waitFor(() => new Set([...one.ids(), ...two.ids()]).size === count);
        assert.deepEqual([...new Set([...one.ids(), ...two.ids()])].sort(), [...sent].sort());
        assert.ok(one.ids().length > 0 && two.ids().length > 0, `both processes got work (${one.ids().length}/${two.ids().length})`);
        assert.ok(one.ids().length < count && two.ids().length < count, 'neither process got everything');
      } else {
        await waitFor(() => one.ids().length === count && two.ids().length === count);
        assert.deepEqual([...one.ids()].sort(), [...sent].sort());
        assert.deepEqual([...two.ids()].sort(), [...sent].sort());
      }
    });

    test('ack, and redelivery of an unacked event after its consumer is SIGKILLed', async () => {
      const first = event('kill.first');
      const held = event('kill.held');
      const marker = event('kill.marker');
      if (!bus.capabilities.crossProcess) {
        const a: string[] = [];
        const b: { id: string; ctx: DeliveryContext }[] = [];
        const holder = await sub(topic('kill'), 'gk', (e) => { a.push(e.id); return a.length > 1 ? new Promise(() => undefined) : undefined; });
        await bus.publish(topic('kill'), first);
        await bus.publish(topic('kill'), held);
        await waitFor(() => a.length === 2);
        await sub(topic('kill'), 'gk', (e, ctx) => { b.push({ id: e.id, ctx }); });
        await holder.close(); // the in-process stand-in for a dead consumer
        await bus.publish(topic('kill'), marker);
        await waitFor(() => b.some((x) => x.id === marker.id) && b.some((x) => x.id === held.id));
        assert.ok(!b.some((x) => x.id === first.id), 'an acked event is not redelivered');
        assert.equal(b.find((x) => x.id === held.id)!.ctx.redelivered, true);
        return;
      }
      const victim = child('kill', 'gk', 'ack-first');
      await victim.ready();
      await bus.publish(topic('kill'), first);
      await waitFor(() => victim.ids().includes(first.id));
      await bus.publish(topic('kill'), held);
      await waitFor(() => victim.ids().includes(held.id));
      await victim.kill('SIGKILL');
      const heir = child('kill', 'gk');
      await heir.ready();
      await bus.publish(topic('kill'), marker);
      if (bus.capabilities.redelivery) {
        await waitFor(() => heir.ids().includes(held.id) && heir.ids().includes(marker.id));
        const again = heir.received.find((r) => r.id === held.id)!;
        assert.equal(again.redelivered, true, 'the broker marks it as a redelivery');
        assert.ok(!heir.ids().includes(first.id), 'the acked event is not redelivered');
      } else {
        await waitFor(() => heir.ids().includes(marker.id));
        assert.deepEqual(heir.ids(), [marker.id], 'pub/sub: what the dead consumer held is lost, by design');
      }
    });

    test('one consumer sees each key in publish order', async () => {
      const seen = new Map<string, number[]>();
      await sub(topic('order'), 'go', (e) => {
        const { key, seq } = e.data as { key: string; seq: number };
        seen.set(key, [...(seen.get(key) ?? []), seq]);
      }, { prefetch: 1 });
      const keys = ['k0', 'k1', 'k2'];
      const total = 60;
      for (let seq = 0; seq < total; seq++) {
        const key = keys[seq % 3]!;
        await bus.publish(topic('order'), event('ordered', { key, seq }), key);
      }
      await waitFor(() => [...seen.values()].reduce((n, s) => n + s.length, 0) === total);
      assert.equal(bus.capabilities.orderedPerKey, true, 'every adapter here offers per-key order to a single consumer');
      for (const key of keys) {
        const seqs = seen.get(key)!;
        assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), `key ${key} arrived in order`);
        assert.equal(seqs.length, total / 3);
      }
    });

    test('dedup by event id: the dedupe wrapper (memory LRU and Redis SET NX) handles a re-published id once', async () => {
      const memoryRuns: string[] = [];
      const redisRuns: string[] = [];
      const raw: string[] = [];
      const onMemory = dedupe((e) => { memoryRuns.push(e.id); }, new MemorySeenStore({ maxEntries: 100 }));
      const onRedis = dedupe((e) => { redisRuns.push(e.id); }, new RedisSeenStore(redis, { prefix: `${run}:seen` }));
      await sub(topic('dedup'), 'gd-mem', onMemory);
      await sub(topic('dedup'), 'gd-redis', onRedis);
      await sub(topic('dedup'), 'gd-raw', (e) => { raw.push(e.id); });
      const twice = event('dup');
      const marker = event('dup.marker');
      await bus.publish(topic('dedup'), twice);
      await bus.publish(topic('dedup'), twice);
      await bus.publish(topic('dedup'), marker);
      await waitFor(() => [memoryRuns, redisRuns, raw].every((l) => l.includes(marker.id)));
      assert.deepEqual(memoryRuns, [twice.id, marker.id]);
      assert.deepEqual(redisRuns, [twice.id, marker.id]);
      // Without the wrapper: the broker drops the copy only where it dedups on publish (NATS Msg-Id).
      assert.deepEqual(raw, bus.capabilities.publishDedup ? [twice.id, marker.id] : [twice.id, twice.id, marker.id]);
    });
  });
}
