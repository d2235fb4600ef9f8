import type { Redis } from 'ioredis';
import { serializeEvent, type CloudEvent } from './envelope.ts';
import { DEFAULT_SUBSCRIBE, type Bus, type BusCapabilities, type EventHandler, type SubscribeOptions, type Subscription } from './port.ts';
import { connectRedis } from './redis-connect.ts';
import { StreamConsumer, type StreamSettings } from './redis-streams-consumer.ts';
import { assertTopic, normalizePattern } from './topics.ts';

/**
 * Redis Streams: one stream per topic (`{prefix}:{topic}`), consumer groups
 * created with XGROUP CREATE … MKSTREAM, XREADGROUP to read, XACK when the
 * handler resolves, and XAUTOCLAIM to take over entries a dead consumer left
 * pending longer than `claimIdleMs`.
 *
 * Order: entries of one stream are read in XADD order, so one consumer per
 * group sees each topic in publish order. With several consumers the group
 * spreads entries over them, and a retried entry comes back after newer ones.
 * The partition key travels with the entry but does not pick a stream.
 *
 * Patterns: streams have no wildcard reads, so publishers record each topic in
 * the set `{prefix}:topics` and pattern subscribers poll it for new matches.
 */
export interface RedisStreamsOptions {
  url: string;
  /** Key prefix for streams and the topic registry. */
  prefix?: string;
  /** Approximate cap per stream (XADD MAXLEN ~). */
  maxLen?: number;
  /** An entry pending this long on a consumer is presumed abandoned and reclaimed. */
  claimIdleMs?: number;
  blockMs?: number;
  discoverEveryMs?: number;
}

export class RedisStreamsBus implements Bus {
  readonly name = 'redis-streams';
  readonly capabilities: BusCapabilities = {
    groups: true, redelivery: true, durable: true, orderedPerKey: true, publishDedup: false, crossProcess: true,
  };
  readonly #redis: Redis;
  readonly #url: string;
  readonly #settings: StreamSettings;
  readonly #maxLen: number;
  readonly #registered = new Set<string>();
  readonly #consumers = new Set<StreamConsumer>();

  static async connect(opts: RedisStreamsOptions): Promise<RedisStreamsBus> {
    return new RedisStreamsBus(await connectRedis(opts.url), opts);
  }

  constructor(redis: Redis, opts: RedisStreamsOptions) {
    this.#redis = redis;
    this.#url = opts.url;
    this.#maxLen = opts.maxLen ?? 100_000;
    const claimIdleMs = opts.claimIdleMs ?? 30_000;
    this.#settings = {
      prefix: opts.prefix ?? 'switchyard:stream',
      claimIdleMs,
      blockMs: opts.blockMs ?? 2000,
      discoverEveryMs: opts.discoverEveryMs ?? 2000,
    };
  }

  get prefix(): string {
    return this.#settings.prefix;
  }

  async publish(topic: string, event: CloudEvent, key?: string): Promise<void> {
    assertTopic(topic);
    const stream = `${this.#settings.prefix}:${topic}`;
    const fields = key === undefined ? ['e', serializeEvent(event)] : ['e', serializeEvent(event), 'k', key];
    if (this.#registered.has(topic)) {
      await this.#redis.xadd(stream, 'MAXLEN', '~', this.#maxLen, '*', ...fields);
      return;
    }
    await this.#redis.multi()
      .sadd(`${this.#settings.prefix}:topics`, topic)
      .xadd(stream, 'MAXLEN', '~', this.#maxLen, '*', ...fields)
      .exec();
    this.#registered.add(topic);
  }

  async subscribe(topicOrPattern: string, group: string, handler: EventHandler, opts: SubscribeOptions = {}): Promise<Subscription> {
    const pattern = normalizePattern(topicOrPattern);
    // XREADGROUP BLOCK holds its connection, so each subscription gets its own.
    const blocking = await connectRedis(this.#url);
    const consumer = new StreamConsumer(this.#redis, blocking, this.#settings, pattern, group, handler, { ...DEFAULT_SUBSCRIBE, ...opts });
    try {
      await consumer.start();
    } catch (err) {
      blocking.disconnect();
      throw err;
    }
    this.#consumers.add(consumer);
    return {
      topic: pattern,
      group,
      close: async () => {
        this.#consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((c) => c.stop()));
    this.#consumers.clear();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
