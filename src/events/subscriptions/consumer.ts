import type { Logger } from 'pino';
import type { Store } from '../../store/store.ts';
import type { Subscription } from '../../store/repos/subscriptions.ts';
import type { Queue } from '../../queue/queue.ts';
import type { Bus, Subscription as BusSubscription } from '../bus/port.ts';
import type { CloudEvent } from '../bus/envelope.ts';
import { normalizePattern } from '../bus/topics.ts';
import { compileFilter, type EventFilter } from './filter.ts';

export const DELIVER_JOB = 'subscription.deliver';

/**
 * Keeps one bus subscription per active tenant subscription (consumer group
 * `sub.<id>`, so several workers share the load), and turns every matching
 * event into a delivery job. The job's dedup key is (subscription, event
 * id): a redelivered event is enqueued once, so consumption is at least once
 * on the bus and exactly once into the queue, where retries, dead letters
 * and replay live. The subscription set is re-read when it changes.
 */
export class SubscriptionConsumer {
  private readonly live = new Map<string, { updatedAt: number; sub: BusSubscription }>();
  private version = '';
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private readonly store: Store;
  private readonly bus: Bus;
  private readonly queue: Queue;
  private readonly topicTemplate: string;
  private readonly log: Logger;
  private readonly refreshMs: number;

  constructor(deps: { store: Store; bus: Bus; queue: Queue; topicTemplate: string; log: Logger; refreshMs: number }) {
    this.store = deps.store;
    this.bus = deps.bus;
    this.queue = deps.queue;
    this.topicTemplate = deps.topicTemplate;
    this.log = deps.log;
    this.refreshMs = deps.refreshMs;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    await Promise.all([...this.live.values()].map((l) => l.sub.close().catch(() => undefined)));
    this.live.clear();
  }

  /** Re-reads subscriptions and adjusts bus subscriptions; serialised so two refreshes never race. */
  refresh(): Promise<void> {
    this.syncing = this.syncing.then(() => this.sync()).catch((err: unknown) => this.log.warn({ err }, 'subscription refresh failed'));
    return this.syncing;
  }

  private async sync(): Promise<void> {
    const version = await this.store.subscriptionConsumer.version();
    if (version === this.version) return;
    const wanted = new Map((await this.store.subscriptionConsumer.active()).map((s) => [s.id, s]));
    for (const [id, l] of this.live) {
      const w = wanted.get(id);
      if (!w || w.updatedAt !== l.updatedAt) {
        await l.sub.close();
        this.live.delete(id);
      }
    }
    for (const [id, s] of wanted) {
      if (this.live.has(id)) continue;
      const pattern = normalizePattern(this.topicTemplate.replaceAll('{tenant}', s.tenantId).replaceAll('{type}', s.eventTypes));
      const sub = await this.bus.subscribe(pattern, `sub.${id}`, (event) => this.accept(s, event), { prefetch: 16 });
      this.live.set(id, { updatedAt: s.updatedAt, sub });
    }
    this.version = version;
  }

  private async accept(s: Subscription, event: CloudEvent): Promise<void> {
    // A topic pattern could only match another tenant's topic through a bad
    // template; the envelope's tenant is checked all the same.
    if (event.tenant !== s.tenantId) return;
    if (!compileFilter(s.filter as EventFilter)(event)) return;
    const id = await this.queue.enqueue(this.store, {
      tenantId: s.tenantId,
      payload: { kind: DELIVER_JOB, v: 1, subscriptionId: s.id, event: event as unknown as Record<string, unknown> },
      dedupKey: `${s.id}:${event.id}`,
    });
    if (id) this.queue.nudge();
  }
}
