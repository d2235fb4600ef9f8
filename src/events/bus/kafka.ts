import { Admin, Consumer, Producer, compatibilityPartitioner, type MessagesStream } from '@platformatic/kafka';
import type { CloudEvent } from './envelope.ts';
import { fromKafkaRecord, kafkaTopic, toKafkaRecord, type KafkaConfig } from './kafka-records.ts';
import { DEFAULT_SUBSCRIBE, type Bus, type BusCapabilities, type DeliveryContext, type EventHandler, type SubscribeOptions, type Subscription } from './port.ts';
import { isPattern, normalizePattern, patternToRegExp } from './topics.ts';

/**
 * Kafka via @platformatic/kafka. UNTESTED AGAINST A LIVE BROKER: no Kafka
 * runs on the build machine; records, partitioning and config are unit-tested.
 *
 * Publishing: records keyed by the partition key (else the event id) and
 * partitioned with Kafka's Java-compatible murmur2, so the same key lands on
 * the same partition whichever client produced it; acks=all.
 *
 * Consuming: a group is a Kafka consumer group (partitions are shared between
 * members). Kafka cannot reject a single record, so a handler that throws is
 * retried in place every `retryDelayMs`, up to `maxDeliveries`, then handed
 * to onDeadLetter; the offset is committed after that. Retrying in place keeps
 * per-partition order but holds up the partition meanwhile. Patterns are
 * resolved against the topic list when subscribing; later topics are not
 * picked up until the subscription is renewed.
 */
type Bytes = Buffer;

export class KafkaBus implements Bus {
  readonly name = 'kafka';
  readonly capabilities: BusCapabilities = {
    groups: true, redelivery: true, durable: true, orderedPerKey: true, publishDedup: false, crossProcess: true,
  };
  readonly #config: KafkaConfig;
  readonly #producer: Producer<Bytes, Bytes, Bytes, Bytes>;
  readonly #admin: Admin;
  readonly #known = new Set<string>();
  readonly #subs = new Set<Subscription>();

  constructor(config: KafkaConfig) {
    this.#config = config;
    const base = { clientId: config.clientId, bootstrapBrokers: config.brokers };
    this.#producer = new Producer<Bytes, Bytes, Bytes, Bytes>({ ...base, partitioner: compatibilityPartitioner, acks: -1 });
    this.#admin = new Admin(base);
  }

  async #ensureTopic(topic: string): Promise<void> {
    if (this.#known.has(topic)) return;
    const existing = await this.#admin.listTopics();
    if (!existing.includes(topic)) {
      await this.#admin.createTopics({ topics: [topic], partitions: this.#config.partitions, replicas: this.#config.replicas })
        .catch(async (err) => {
          // Another process may have created it in between.
          if (!(await this.#admin.listTopics()).includes(topic)) throw err;
        });
    }
    this.#known.add(topic);
  }

  async publish(topic: string, event: CloudEvent, key?: string): Promise<void> {
    const record = toKafkaRecord(topic, event, key);
    await this.#ensureTopic(record.topic);
    await this.#producer.send({ messages: [record] });
  }

  async subscribe(topicOrPattern: string, group: string, handler: EventHandler, opts: SubscribeOptions = {}): Promise<Subscription> {
    const pattern = normalizePattern(topicOrPattern);
    const o = { ...DEFAULT_SUBSCRIBE, ...opts };
    let topics: string[];
    if (isPattern(pattern)) {
      const re = patternToRegExp(pattern);
      topics = (await this.#admin.listTopics()).filter((t) => re.test(t));
    } else {
      await this.#ensureTopic(kafkaTopic(pattern));
      topics = [pattern];
    }
    const consumer = new Consumer<Bytes, Bytes, Bytes, Bytes>({
      clientId: this.#config.clientId, bootstrapBrokers: this.#config.brokers, groupId: group,
    });
    const stream: MessagesStream<Bytes, Bytes, Bytes, Bytes> = await consumer.consume({
      topics, autocommit: false, mode: 'committed', fallbackMode: 'latest', highWaterMark: o.prefetch,
    });
    const loop = (async () => {
      for await (const message of stream) {
        await this.#handle(message, handler, o);
        await message.commit();
      }
    })().catch((err) => o.onError?.(err));
    const sub: Subscription = {
      topic: pattern,
      group,
      close: async () => {
        this.#subs.delete(sub);
        await stream.close().catch(() => undefined);
        await consumer.close().catch(() => undefined);
        await loop;
      },
    };
    this.#subs.add(sub);
    return sub;
  }

  async #handle(
    message: { topic: string; headers: Map<Bytes, Bytes>; value: Bytes; key: Bytes },
    handler: EventHandler, o: typeof DEFAULT_SUBSCRIBE & SubscribeOptions,
  ): Promise<void> {
    let decoded: ReturnType<typeof fromKafkaRecord>;
    try {
      decoded = fromKafkaRecord(message);
    } catch (err) {
      o.onError?.(err);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const ctx: DeliveryContext = { topic: message.topic, redelivered: attempt > 1, attempt, ...(decoded.key === undefined ? {} : { key: decoded.key }) };
      try {
        await handler(decoded.event, ctx);
        return;
      } catch (err) {
        if (attempt >= o.maxDeliveries) {
          o.onDeadLetter?.(decoded.event, err, ctx);
          return;
        }
        await new Promise((r) => setTimeout(r, o.retryDelayMs));
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subs].map((s) => s.close()));
    await this.#producer.close().catch(() => undefined);
    await this.#admin.close().catch(() => undefined);
  }
}
