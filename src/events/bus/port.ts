import type { CloudEvent } from './envelope.ts';

/**
 * The bus port. Services (the outbox relay, consumers) depend on this and
 * nothing else; `main.ts` picks an adapter with `busFromUrl`.
 *
 * Delivery contract: a handler acknowledges by resolving and rejects by
 * throwing. Every adapter except redis-pubsub redelivers a rejected or
 * unacknowledged event, so delivery is at least once and handlers must be
 * idempotent by event id (see `dedupe.ts`).
 */
export interface Bus {
  readonly name: string;
  readonly capabilities: BusCapabilities;
  /**
   * Resolves once the broker has accepted the event (persisted, where the
   * broker persists). `key` groups events that must stay in order; adapters
   * that partition use it to pick the partition.
   */
  publish(topic: string, event: CloudEvent, key?: string): Promise<void>;
  /**
   * `topicOrPattern` is a topic or a pattern in port syntax (see topics.ts).
   * Within a `group` each event goes to one subscriber; different groups each
   * get every event. Resolves once the subscription is live on the broker.
   */
  subscribe(topicOrPattern: string, group: string, handler: EventHandler, opts?: SubscribeOptions): Promise<Subscription>;
  /** Closes subscriptions and connections. Unacknowledged events go back to the broker. */
  close(): Promise<void>;
}

export interface DeliveryContext {
  topic: string;
  /** Partition key the event was published with, when the adapter carries it. */
  key?: string;
  /** True when the broker says this is not the first delivery. */
  redelivered: boolean;
  /** 1-based delivery attempt, when the broker counts them. */
  attempt?: number;
}

export type EventHandler = (event: CloudEvent, ctx: DeliveryContext) => Promise<void> | void;

export interface SubscribeOptions {
  /** Events handed to this subscriber before earlier ones are acknowledged. Default 1 (keeps order). */
  prefetch?: number;
  /** Deliveries before an event is dead-lettered. Default 5. */
  maxDeliveries?: number;
  /** Delay before a rejected event is offered again, where the adapter controls it. Default 1000 ms. */
  retryDelayMs?: number;
  /** Called when an event is given up on (after the adapter's own dead-lettering, if any). */
  onDeadLetter?: (event: CloudEvent, error: unknown, ctx: DeliveryContext) => void;
  /** Called for failures outside a handler (undecodable message, broker error while consuming). */
  onError?: (error: unknown) => void;
}

export interface Subscription {
  readonly topic: string;
  readonly group: string;
  close(): Promise<void>;
}

/** What the contract suite and callers may rely on; adapters differ here and the docs say why. */
export interface BusCapabilities {
  /** Consumer groups share load across processes. */
  groups: boolean;
  /** A thrown handler or a dead consumer leads to redelivery. */
  redelivery: boolean;
  /** Events published while no subscriber is connected are kept for the group. */
  durable: boolean;
  /** One subscriber with prefetch 1 sees events of one key in publish order. */
  orderedPerKey: boolean;
  /** The broker drops a re-published event with an id it has already seen. */
  publishDedup: boolean;
  /** Subscribers in other processes see the events. */
  crossProcess: boolean;
}

export const DEFAULT_SUBSCRIBE: Required<Pick<SubscribeOptions, 'prefetch' | 'maxDeliveries' | 'retryDelayMs'>> = {
  prefetch: 1,
  maxDeliveries: 5,
  retryDelayMs: 1000,
};

export class BusError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'BusError';
  }
}
