import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import type { OutboxRow } from '../store/repos/outbox.ts';
import type { Bus } from './bus/port.ts';
import type { CloudEvent } from './bus/envelope.ts';
import type { TopicNaming } from './bus/topics.ts';
import { Waker } from '../queue/wake.ts';

export const RELAY_LEASE = 'outbox-relay';

export interface RelayOptions {
  /** This relay's identity (process and random suffix). */
  id: string;
  batch: number;
  /** How long the relay lease lasts; it is renewed every pass. */
  leaseMs: number;
  pollMs: number;
  /** Delay before retrying a failed publish, doubling per attempt, capped. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How many partitions are published at once (default 16); 1 publishes one event at a time. */
  concurrency?: number;
  source: string;
  now?: () => number;
  onPublished?: (n: number) => void;
}

export function toCloudEvent(row: OutboxRow, source: string): CloudEvent {
  return {
    id: row.id, type: row.type, source, specversion: '1.0', time: new Date(row.created_at).toISOString(),
    datacontenttype: 'application/json', data: JSON.parse(row.data) as unknown, tenant: row.tenant_id,
    ...(row.subject ? { subject: row.subject } : {}), ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  };
}

/**
 * Publishes outbox rows to the bus, at least once, in order per partition
 * key. Every worker runs a relay, but only the one holding the
 * `outbox-relay` lease publishes; if it dies, the lease runs out and another
 * takes over, re-publishing whatever was not marked (consumers dedup by
 * event id). A broker outage leaves rows in the outbox with a growing retry
 * delay; nothing is dropped.
 */
export class Relay {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly waker = new Waker();
  private readonly store: Store;
  private readonly bus: Bus;
  private readonly topicOf: TopicNaming;
  private readonly log: Logger;
  private readonly opts: RelayOptions;
  private readonly now: () => number;

  constructor(store: Store, bus: Bus, topicOf: TopicNaming, log: Logger, opts: RelayOptions) {
    this.store = store;
    this.bus = bus;
    this.topicOf = topicOf;
    this.log = log.child({ relay: opts.id });
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the relay early, after a job that may have appended events settled. */
  nudge(): void {
    this.waker.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.waker.wake();
    await this.loop;
    await this.store.leases.release(RELAY_LEASE, this.opts.id).catch(() => undefined);
  }

  /**
   * One pass if this relay holds (or wins) the lease. Returns how many events
   * were published. Partitions are published side by side (up to
   * `concurrency` at once), each strictly in order: an event is sent only
   * after the broker accepted the one before it in its partition.
   */
  async once(): Promise<number> {
    if (!(await this.store.leases.acquire(RELAY_LEASE, this.opts.id, this.opts.leaseMs, this.now()))) return 0;
    const rows = await this.store.outbox.due(this.now(), this.opts.batch);
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const lane = lanes.get(row.partition_key);
      if (lane) lane.push(row);
      else lanes.set(row.partition_key, [row]);
    }
    const pending: string[] = [];
    let published = 0;
    // Marks run one after another; a publisher waits for the one it started.
    let marking = Promise.resolve();
    const flush = () => {
      if (pending.length === 0) return marking;
      const ids = pending.splice(0);
      marking = marking.then(async () => {
        await this.store.outbox.markPublished(ids, this.now());
        published += ids.length;
        this.opts.onPublished?.(ids.length);
      });
      return marking;
    };
    const queue = [...lanes.values()];
    // Each of up to `concurrency` publishers takes the next waiting partition until none is left.
    const publisher = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        for (const row of next) {
          try {
            await this.bus.publish(this.topicOf({ tenant: row.tenant_id, type: row.type }), toCloudEvent(row, this.opts.source), row.partition_key);
          } catch (err) {
            // The rest of this partition waits for it, to keep order.
            const delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(row.attempts, 16));
            this.log.warn({ err, eventId: row.id, attempts: row.attempts + 1, retryInMs: delay }, 'publish failed; the event stays in the outbox');
            await this.store.outbox.failed(row.id, (err as Error)?.message ?? String(err), this.now() + delay);
            break;
          }
          pending.push(row.id);
          if (pending.length >= 100) await flush();
        }
      }
    };
    // Every publisher ends before the pass does, even when one fails: no publish outlives its pass.
    const ended = await Promise.allSettled(Array.from({ length: Math.min(this.opts.concurrency ?? 16, queue.length) }, publisher));
    await flush();
    const failed = ended.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return published;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let n = 0;
      try {
        n = await this.once();
      } catch (err) {
        this.log.warn({ err }, 'relay pass failed; will retry');
      }
      if (n >= this.opts.batch) continue;
      await this.waker.sleep(this.opts.pollMs);
    }
  }
}
