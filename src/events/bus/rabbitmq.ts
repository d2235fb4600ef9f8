import { createHash } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { deserializeEvent, serializeEvent, STRUCTURED_CONTENT_TYPE, type CloudEvent } from './envelope.ts';
import { BusError, DEFAULT_SUBSCRIBE, type Bus, type BusCapabilities, type DeliveryContext, type EventHandler, type SubscribeOptions, type Subscription } from './port.ts';
import { safeAddress } from './redis-connect.ts';
import { assertTopic, matchTopic, normalizePattern, toAmqpBinding } from './topics.ts';

/**
 * RabbitMQ over amqplib. Events go to one durable topic exchange through a
 * confirm channel, so publish resolves only once the broker has taken the
 * message. A group is one durable quorum queue bound with the pattern;
 * every member consumes from it with manual acks and `prefetch`. A consumer
 * that dies returns its unacked messages to the queue at once.
 *
 * Poison messages: the quorum queue counts deliveries (`x-delivery-count`)
 * and, past `x-delivery-limit`, dead-letters the message to the exchange
 * `{exchange}.dlx`, which routes it to the queue `{queue}.dlq`. A handler
 * that throws on its last allowed attempt is dead-lettered the same way.
 */
export interface RabbitOptions {
  url: string;
  exchange?: string;
}

const KEY_HEADER = 'switchyard-key';

export class RabbitBus implements Bus {
  readonly name = 'rabbitmq';
  readonly capabilities: BusCapabilities = {
    groups: true, redelivery: true, durable: true, orderedPerKey: true, publishDedup: false, crossProcess: true,
  };
  readonly #conn: ChannelModel;
  readonly #pub: ConfirmChannel;
  readonly exchange: string;
  readonly deadLetterExchange: string;
  readonly #subs = new Set<Subscription>();

  static async connect(opts: RabbitOptions): Promise<RabbitBus> {
    let conn: ChannelModel;
    try {
      conn = await connect(opts.url);
    } catch (err) {
      throw new BusError(`cannot reach RabbitMQ at ${safeAddress(opts.url)}: ${(err as Error).message}`, { cause: err });
    }
    conn.on('error', () => undefined); // surfaced through the failing calls instead
    const pub = await conn.createConfirmChannel();
    const bus = new RabbitBus(conn, pub, opts.exchange ?? 'switchyard.events');
    await pub.assertExchange(bus.exchange, 'topic', { durable: true });
    await pub.assertExchange(bus.deadLetterExchange, 'topic', { durable: true });
    return bus;
  }

  constructor(conn: ChannelModel, pub: ConfirmChannel, exchange: string) {
    this.#conn = conn;
    this.#pub = pub;
    this.exchange = exchange;
    this.deadLetterExchange = `${exchange}.dlx`;
  }

  queueName(group: string, pattern: string): string {
    const hash = createHash('sha256').update(normalizePattern(pattern)).digest('hex').slice(0, 8);
    return `${this.exchange}.${group}.${hash}`;
  }

  async publish(topic: string, event: CloudEvent, key?: string): Promise<void> {
    assertTopic(topic);
    const body = Buffer.from(serializeEvent(event));
    await new Promise<void>((resolve, reject) => {
      this.#pub.publish(this.exchange, topic, body, {
        persistent: true,
        messageId: event.id,
        contentType: STRUCTURED_CONTENT_TYPE,
        headers: key === undefined ? {} : { [KEY_HEADER]: key },
      }, (err) => (err ? reject(new BusError(`RabbitMQ refused event ${event.id}`, { cause: err })) : resolve()));
    });
  }

  async subscribe(topicOrPattern: string, group: string, handler: EventHandler, opts: SubscribeOptions = {}): Promise<Subscription> {
    const pattern = normalizePattern(topicOrPattern);
    const o = { ...DEFAULT_SUBSCRIBE, ...opts };
    const queue = this.queueName(group, pattern);
    const ch = await this.#conn.createChannel();
    ch.on('error', (err) => o.onError?.(err));
    await ch.assertQueue(`${queue}.dlq`, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(`${queue}.dlq`, this.deadLetterExchange, queue);
    await ch.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        // The limit counts failed deliveries, so N deliveries in all means N - 1 failures allowed.
        'x-delivery-limit': Math.max(0, o.maxDeliveries - 1),
        'x-dead-letter-exchange': this.deadLetterExchange,
        'x-dead-letter-routing-key': queue,
      },
    });
    await ch.bindQueue(queue, this.exchange, toAmqpBinding(pattern));
    await ch.prefetch(o.prefetch);
    const { consumerTag } = await ch.consume(queue, (msg) => {
      if (msg) void this.#handle(ch, msg, pattern, handler, o);
    }, { noAck: false });
    const sub: Subscription = {
      topic: pattern,
      group,
      close: async () => {
        this.#subs.delete(sub);
        await ch.cancel(consumerTag).catch(() => undefined);
        await ch.close().catch(() => undefined);
      },
    };
    this.#subs.add(sub);
    return sub;
  }

  async #handle(ch: Channel, msg: ConsumeMessage, pattern: string, handler: EventHandler, o: typeof DEFAULT_SUBSCRIBE & SubscribeOptions): Promise<void> {
    const topic = msg.fields.routingKey;
    // AMQP `#` also matches zero words; the port's `>` does not.
    if (!matchTopic(pattern, topic)) return safeAck(ch, msg);
    const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
    const attempt = Number(headers['x-delivery-count'] ?? 0) + 1;
    const key = headers[KEY_HEADER];
    const ctx: DeliveryContext = { topic, redelivered: msg.fields.redelivered, attempt, ...(typeof key === 'string' ? { key } : {}) };
    let event: CloudEvent;
    try {
      event = deserializeEvent(msg.content);
    } catch (err) {
      o.onError?.(err);
      return safeNack(ch, msg, false);
    }
    try {
      await handler(event, ctx);
      safeAck(ch, msg);
    } catch (err) {
      if (attempt >= o.maxDeliveries) {
        safeNack(ch, msg, false);
        o.onDeadLetter?.(event, err, ctx);
        return;
      }
      await new Promise((r) => setTimeout(r, o.retryDelayMs));
      safeNack(ch, msg, true);
    }
  }

  /** Deletes a group's queues (tests and tooling). */
  async deleteGroup(group: string, pattern: string): Promise<void> {
    const queue = this.queueName(group, pattern);
    const ch = await this.#conn.createChannel();
    await ch.deleteQueue(queue);
    await ch.deleteQueue(`${queue}.dlq`);
    await ch.close();
  }

  async deleteExchanges(): Promise<void> {
    await this.#pub.deleteExchange(this.exchange);
    await this.#pub.deleteExchange(this.deadLetterExchange);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subs].map((s) => s.close()));
    await this.#pub.close().catch(() => undefined);
    await this.#conn.close().catch(() => undefined);
  }
}

// A channel closed under us (bus closing) makes ack throw; the broker requeues anyway.
function safeAck(ch: Channel, msg: ConsumeMessage): void {
  try { ch.ack(msg); } catch { /* channel already closed: the broker requeues */ }
}

function safeNack(ch: Channel, msg: ConsumeMessage, requeue: boolean): void {
  try { ch.nack(msg, false, requeue); } catch { /* channel already closed: the broker requeues */ }
}
