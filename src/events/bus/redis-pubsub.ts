import type { Redis } from 'ioredis';
import { deserializeEvent, serializeEvent, type CloudEvent } from './envelope.ts';
import { MemoryBus } from './memory.ts';
import type { Bus, BusCapabilities, EventHandler, SubscribeOptions, Subscription } from './port.ts';
import { connectRedis } from './redis-connect.ts';
import { assertTopic, normalizePattern, toRedisGlob } from './topics.ts';

/**
 * Redis pub/sub: fire-and-forget fan-out, as seed 002 did.
 *
 * Redis keeps nothing: an event published while nobody listens is gone, a
 * handler that throws is not retried, and a consumer that dies loses what it
 * held. There are no consumer groups in Redis pub/sub. We emulate them only
 * inside one process (one handler per group gets each event, as on the other
 * adapters); across processes every subscriber receives every event. Use
 * redis-streams when a group must share work across processes.
 *
 * The payload is the structured CloudEvents JSON alone, so seed-002 style
 * consumers can read it; the partition key is not carried.
 */
export interface RedisPubSubOptions {
  url: string;
}

export class RedisPubSubBus implements Bus {
  readonly name = 'redis-pubsub';
  readonly capabilities: BusCapabilities = {
    groups: false, redelivery: false, durable: false, orderedPerKey: true, publishDedup: false, crossProcess: true,
  };
  readonly #pub: Redis;
  readonly #sub: Redis;
  /** One local dispatcher per Redis glob: it applies exact matching and in-process groups. */
  readonly #byGlob = new Map<string, { local: MemoryBus; count: number }>();

  static async connect(opts: RedisPubSubOptions): Promise<RedisPubSubBus> {
    const pub = await connectRedis(opts.url);
    const sub = await connectRedis(opts.url).catch(async (err) => { pub.disconnect(); throw err; });
    return new RedisPubSubBus(pub, sub);
  }

  constructor(pub: Redis, sub: Redis) {
    this.#pub = pub;
    this.#sub = sub;
    // Every subscription is a PSUBSCRIBE (topics are valid globs), so a
    // message arrives once per glob and never twice via SUBSCRIBE as well.
    this.#sub.on('pmessage', (glob: string, channel: string, message: string) => {
      const entry = this.#byGlob.get(glob);
      if (!entry) return;
      let event: CloudEvent;
      try {
        event = deserializeEvent(message);
      } catch {
        return; // not ours: a foreign publisher on a shared channel
      }
      void entry.local.publish(channel, event);
    });
  }

  async publish(topic: string, event: CloudEvent, _key?: string): Promise<void> {
    assertTopic(topic);
    await this.#pub.publish(topic, serializeEvent(event));
  }

  async subscribe(topicOrPattern: string, group: string, handler: EventHandler, opts: SubscribeOptions = {}): Promise<Subscription> {
    const pattern = normalizePattern(topicOrPattern);
    const glob = toRedisGlob(pattern);
    let entry = this.#byGlob.get(glob);
    if (!entry) {
      entry = { local: new MemoryBus(), count: 0 };
      this.#byGlob.set(glob, entry);
      await this.#sub.psubscribe(glob);
    }
    entry.count += 1;
    // One attempt: a failure is reported, never retried (there is no ack to withhold).
    const local = await entry.local.subscribe(pattern, group, handler, {
      ...opts,
      maxDeliveries: 1,
      onDeadLetter: (_e, err) => opts.onError?.(err),
    });
    let closed = false;
    const owner = entry;
    return {
      topic: pattern,
      group,
      close: async () => {
        if (closed) return;
        closed = true;
        await local.close();
        owner.count -= 1;
        if (owner.count === 0 && this.#byGlob.get(glob) === owner) {
          this.#byGlob.delete(glob);
          await this.#sub.punsubscribe(glob);
        }
      },
    };
  }

  async close(): Promise<void> {
    for (const { local } of this.#byGlob.values()) await local.close();
    this.#byGlob.clear();
    this.#sub.disconnect();
    await this.#pub.quit().catch(() => this.#pub.disconnect());
  }
}
