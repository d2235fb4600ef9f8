import { createHash } from 'node:crypto';
import { connect, headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType,
  type ConsumerConfig, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg,
} from '@nats-io/jetstream';
import { deserializeEvent, serializeEvent, STRUCTURED_CONTENT_TYPE, type CloudEvent } from './envelope.ts';
import { BusError, DEFAULT_SUBSCRIBE, type Bus, type BusCapabilities, type DeliveryContext, type EventHandler, type SubscribeOptions, type Subscription } from './port.ts';
import { assertTopic, normalizePattern, toNatsSubject } from './topics.ts';

/**
 * NATS JetStream. A stream captures every subject under a prefix (the first
 * `prefixSegments` segments, `switchyard.>` by default) and is created on
 * first use. A group is a durable pull consumer filtered by the pattern, so
 * members in any process share its messages. Handlers ack explicitly; an
 * unacked message comes back after `ackWaitMs`, a rejected one after
 * `retryDelayMs` (NAK with delay), and after `maxDeliveries` it is
 * terminated and handed to onDeadLetter.
 *
 * Publishing sets `Nats-Msg-Id` to the event id, so the server drops a
 * re-publish of the same event inside `duplicateWindowMs`: an outbox relay
 * that retries after a lost ack does not create a duplicate.
 */
export interface NatsOptions {
  servers: string[];
  prefixSegments?: number;
  ackWaitMs?: number;
  duplicateWindowMs?: number;
}

const KEY_HEADER = 'Switchyard-Key';

export class NatsBus implements Bus {
  readonly name = 'nats';
  readonly capabilities: BusCapabilities = {
    groups: true, redelivery: true, durable: true, orderedPerKey: true, publishDedup: true, crossProcess: true,
  };
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #opts: Required<Omit<NatsOptions, 'servers'>>;
  readonly #streams = new Map<string, Promise<void>>();
  readonly #subs = new Set<Subscription>();

  static async connect(opts: NatsOptions): Promise<NatsBus> {
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: opts.servers, timeout: 5000, maxReconnectAttempts: -1 });
    } catch (err) {
      throw new BusError(`cannot reach NATS at ${opts.servers.join(',')}: ${(err as Error).message}`, { cause: err });
    }
    try {
      return new NatsBus(nc, await jetstreamManager(nc), opts);
    } catch (err) {
      await nc.close();
      throw new BusError(`NATS at ${opts.servers.join(',')} has no JetStream: ${(err as Error).message}`, { cause: err });
    }
  }

  constructor(nc: NatsConnection, jsm: JetStreamManager, opts: NatsOptions) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc);
    this.#opts = {
      prefixSegments: opts.prefixSegments ?? 1,
      ackWaitMs: opts.ackWaitMs ?? 30_000,
      duplicateWindowMs: opts.duplicateWindowMs ?? 120_000,
    };
  }

  /** The stream that holds a subject: named after its prefix, which must be literal. */
  streamFor(subject: string): { name: string; prefix: string } {
    const segments = subject.split('.');
    const head = segments.slice(0, this.#opts.prefixSegments);
    if (segments.length <= this.#opts.prefixSegments || head.some((s) => s === '*' || s === '>')) {
      throw new BusError(`NATS subject "${subject}" needs ${this.#opts.prefixSegments} literal leading segment(s) and more after them to pick a stream`);
    }
    const prefix = head.join('.');
    return { name: head.join('_').toUpperCase(), prefix };
  }

  async #ensureStream(subject: string): Promise<string> {
    const { name, prefix } = this.streamFor(subject);
    let ready = this.#streams.get(name);
    if (!ready) {
      ready = this.#createStream(name, prefix);
      this.#streams.set(name, ready);
      ready.catch(() => this.#streams.delete(name));
    }
    await ready;
    return name;
  }

  async #createStream(name: string, prefix: string): Promise<void> {
    try {
      await this.#jsm.streams.info(name);
      return;
    } catch {
      // Not there yet: create it. A concurrent creator with the same config is fine.
    }
    await this.#jsm.streams.add({
      name,
      subjects: [`${prefix}.>`],
      storage: StorageType.File,
      duplicate_window: nanos(this.#opts.duplicateWindowMs),
    });
  }

  async publish(topic: string, event: CloudEvent, key?: string): Promise<void> {
    assertTopic(topic);
    await this.#ensureStream(topic);
    const h = natsHeaders();
    h.set('Content-Type', STRUCTURED_CONTENT_TYPE);
    if (key !== undefined) h.set(KEY_HEADER, key);
    await this.#js.publish(topic, serializeEvent(event), { msgID: event.id, headers: h });
  }

  async subscribe(topicOrPattern: string, group: string, handler: EventHandler, opts: SubscribeOptions = {}): Promise<Subscription> {
    const pattern = normalizePattern(topicOrPattern);
    const o = { ...DEFAULT_SUBSCRIBE, ...opts };
    const stream = await this.#ensureStream(pattern);
    const durable = durableName(group, pattern);
    const config: Partial<ConsumerConfig> = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(this.#opts.ackWaitMs),
      max_deliver: o.maxDeliveries,
      filter_subject: toNatsSubject(pattern),
      // A new group starts with events published from now on, as a new RabbitMQ queue or Streams group does.
      deliver_policy: DeliverPolicy.New,
    };
    try {
      await this.#jsm.consumers.add(stream, config);
    } catch {
      const { deliver_policy: _, ...mutable } = config;
      await this.#jsm.consumers.update(stream, durable, mutable);
    }
    const consumer = await this.#js.consumers.get(stream, durable);
    const messages: ConsumerMessages = await consumer.consume({ max_messages: o.prefetch });
    const loop = (async () => {
      for await (const m of messages) await this.#handle(m, handler, o);
    })().catch((err) => o.onError?.(err));
    const sub: Subscription = {
      topic: pattern,
      group,
      close: async () => {
        this.#subs.delete(sub);
        await messages.close().catch(() => undefined);
        await loop;
      },
    };
    this.#subs.add(sub);
    return sub;
  }

  async #handle(m: JsMsg, handler: EventHandler, o: typeof DEFAULT_SUBSCRIBE & SubscribeOptions): Promise<void> {
    const key = m.headers?.get(KEY_HEADER);
    const ctx: DeliveryContext = { topic: m.subject, redelivered: m.redelivered, attempt: m.info.deliveryCount, ...(key ? { key } : {}) };
    let event: CloudEvent;
    try {
      event = deserializeEvent(m.data);
    } catch (err) {
      o.onError?.(err);
      m.term();
      return;
    }
    try {
      await handler(event, ctx);
      m.ack();
    } catch (err) {
      if (m.info.deliveryCount >= o.maxDeliveries) {
        m.term();
        o.onDeadLetter?.(event, err, ctx);
      } else {
        m.nak(o.retryDelayMs);
      }
    }
  }

  /** Deletes a stream (tests and tooling). */
  async deleteStream(subject: string): Promise<void> {
    const { name } = this.streamFor(subject);
    this.#streams.delete(name);
    await this.#jsm.streams.delete(name).catch(() => false);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subs].map((s) => s.close()));
    await this.#nc.close();
  }
}

/** Durable names allow no dots or wildcards; the pattern hash keeps two patterns of one group apart. */
export function durableName(group: string, pattern: string): string {
  const hash = createHash('sha256').update(pattern).digest('hex').slice(0, 8);
  return `${group.replace(/[^A-Za-z0-9_-]/g, '_')}_${hash}`;
}
