import { deserializeEvent, serializeEvent, type CloudEvent } from './envelope.ts';
import { DEFAULT_SUBSCRIBE, type Bus, type BusCapabilities, type EventHandler, type SubscribeOptions, type Subscription } from './port.ts';
import { assertTopic, matchTopic, normalizePattern } from './topics.ts';
import { keyHash } from './partition.ts';

/**
 * The in-process bus (single-node default). It behaves like a broker with
 * consumer groups so code written against it keeps working on a real one:
 * each group gets every event, one member per group handles it, a thrown
 * handler is retried after `retryDelayMs`, and events held by a closed member
 * go back to the group. Nothing survives the process.
 */
interface Delivery {
  topic: string;
  event: CloudEvent;
  key?: string;
  attempt: number;
}

interface Member {
  handler: EventHandler;
  opts: Required<Pick<SubscribeOptions, 'prefetch' | 'maxDeliveries' | 'retryDelayMs'>> & SubscribeOptions;
  queue: Delivery[];
  inflight: Set<Delivery>;
  closed: boolean;
}

interface Group {
  pattern: string;
  name: string;
  members: Member[];
  /** Events that arrived (or were returned) while the group had no member. */
  backlog: Delivery[];
  next: number;
}

export class MemoryBus implements Bus {
  readonly name = 'memory';
  readonly capabilities: BusCapabilities = {
    groups: true, redelivery: true, durable: false, orderedPerKey: true, publishDedup: false, crossProcess: false,
  };
  readonly #groups = new Map<string, Group>();
  #closed = false;

  async publish(topic: string, event: CloudEvent, key?: string): Promise<void> {
    if (this.#closed) throw new Error('bus is closed');
    assertTopic(topic);
    const wire = serializeEvent(event);
    for (const group of this.#groups.values()) {
      if (!matchTopic(group.pattern, topic)) continue;
      // A copy per group, as a broker would deliver: handlers cannot alias each other's events.
      const delivery: Delivery = { topic, event: deserializeEvent(wire), attempt: 0 };
      if (key !== undefined) delivery.key = key;
      this.#dispatch(group, delivery);
    }
  }

  async subscribe(topicOrPattern: string, group: string, handler: EventHandler, opts: SubscribeOptions = {}): Promise<Subscription> {
    const pattern = normalizePattern(topicOrPattern);
    const id = `${group}\u0000${pattern}`;
    let g = this.#groups.get(id);
    if (!g) {
      g = { pattern, name: group, members: [], backlog: [], next: 0 };
      this.#groups.set(id, g);
    }
    const member: Member = { handler, opts: { ...DEFAULT_SUBSCRIBE, ...opts }, queue: [], inflight: new Set(), closed: false };
    g.members.push(member);
    const backlog = g.backlog.splice(0);
    for (const d of backlog) this.#dispatch(g, d);
    const owner = g;
    return {
      topic: pattern,
      group,
      close: async () => this.#leave(owner, member),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const g of this.#groups.values()) for (const m of [...g.members]) this.#leave(g, m);
    this.#groups.clear();
  }

  #dispatch(group: Group, delivery: Delivery): void {
    const members = group.members;
    if (members.length === 0) {
      group.backlog.push(delivery);
      return;
    }
    // Same key, same member: that is what keeps per-key order inside a group.
    const index = delivery.key !== undefined ? keyHash(delivery.key) % members.length : group.next++ % members.length;
    const member = members[index]!;
    member.queue.push(delivery);
    this.#pump(group, member);
  }

  #pump(group: Group, member: Member): void {
    while (!member.closed && member.inflight.size < member.opts.prefetch && member.queue.length > 0) {
      const delivery = member.queue.shift()!;
      member.inflight.add(delivery);
      setImmediate(() => void this.#run(group, member, delivery));
    }
  }

  async #run(group: Group, member: Member, delivery: Delivery): Promise<void> {
    for (;;) {
      if (member.closed) return;
      delivery.attempt += 1;
      const ctx = { topic: delivery.topic, redelivered: delivery.attempt > 1, attempt: delivery.attempt, ...(delivery.key === undefined ? {} : { key: delivery.key }) };
      try {
        await member.handler(delivery.event, ctx);
        break;
      } catch (err) {
        if (member.closed) return;
        if (delivery.attempt >= member.opts.maxDeliveries) {
          member.opts.onDeadLetter?.(delivery.event, err, ctx);
          break;
        }
        await new Promise((r) => setTimeout(r, member.opts.retryDelayMs));
      }
    }
    member.inflight.delete(delivery);
    this.#pump(group, member);
  }

  #leave(group: Group, member: Member): void {
    if (member.closed) return;
    member.closed = true;
    group.members = group.members.filter((m) => m !== member);
    // Unacknowledged events return to the group, like a broker requeues a dead consumer's messages.
    const returned = [...member.inflight, ...member.queue];
    member.inflight.clear();
    member.queue = [];
    for (const d of returned) this.#dispatch(group, d);
  }
}
