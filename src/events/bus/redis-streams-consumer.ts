import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { deserializeEvent } from './envelope.ts';
import type { DeliveryContext, EventHandler, SubscribeOptions } from './port.ts';
import { isPattern, matchTopic } from './topics.ts';

export interface StreamSettings {
  prefix: string;
  claimIdleMs: number;
  blockMs: number;
  discoverEveryMs: number;
}

type Entry = [id: string, fields: string[] | null];
type Opts = Required<Pick<SubscribeOptions, 'prefetch' | 'maxDeliveries' | 'retryDelayMs'>> & SubscribeOptions;

/**
 * One subscription's read loop. Entries are handled one at a time; a failed
 * entry stays in this consumer's pending list and is claimed back (XCLAIM,
 * which counts the delivery) after `retryDelayMs`. Entries another consumer
 * left pending longer than `claimIdleMs` are taken over with XAUTOCLAIM.
 * After `maxDeliveries` an entry is copied to `{stream}:dlq` and acknowledged.
 */
export class StreamConsumer {
  readonly #redis: Redis;
  readonly #blocking: Redis;
  readonly #s: StreamSettings;
  readonly #pattern: string;
  readonly #group: string;
  readonly #handler: EventHandler;
  readonly #opts: Opts;
  readonly #name = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #streams: string[] = [];
  readonly #failed = new Map<string, Set<string>>();
  #closed = false;
  #loop: Promise<void> | undefined;
  #nextReclaim = 0;
  #nextDiscover = 0;

  constructor(redis: Redis, blocking: Redis, settings: StreamSettings, pattern: string, group: string, handler: EventHandler, opts: Opts) {
    this.#redis = redis;
    this.#blocking = blocking;
    this.#s = settings;
    this.#pattern = pattern;
    this.#group = group;
    this.#handler = handler;
    this.#opts = opts;
  }

  async start(): Promise<void> {
    await this.#discover('$');
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#blocking.disconnect();
    await this.#loop;
    // Leave no empty consumer behind; one with pending entries stays so XAUTOCLAIM can find them.
    for (const stream of this.#streams) {
      const pending = await this.#redis.xpending(stream, this.#group, '-', '+', 1, this.#name).catch(() => [1]);
      if ((pending as unknown[]).length === 0) await this.#redis.xgroup('DELCONSUMER', stream, this.#group, this.#name).catch(() => 0);
    }
  }

  /** Finds streams matching the pattern and joins the group on each (creating it at `from`). */
  async #discover(from: '$' | '0'): Promise<void> {
    this.#nextDiscover = Date.now() + this.#s.discoverEveryMs;
    const topics = isPattern(this.#pattern)
      ? (await this.#redis.smembers(`${this.#s.prefix}:topics`)).filter((t) => matchTopic(this.#pattern, t))
      : [this.#pattern];
    for (const topic of topics) {
      const stream = `${this.#s.prefix}:${topic}`;
      if (this.#streams.includes(stream)) continue;
      try {
        await this.#redis.xgroup('CREATE', stream, this.#group, from, 'MKSTREAM');
      } catch (err) {
        if (!String((err as Error).message).startsWith('BUSYGROUP')) throw err;
      }
      this.#streams.push(stream);
    }
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      try {
        // Streams that appear after subscribing are read from their start: they are newer than us.
        if (isPattern(this.#pattern) && Date.now() >= this.#nextDiscover) await this.#discover('0');
        if (Date.now() >= this.#nextReclaim) await this.#reclaim();
        if (this.#streams.length === 0) {
          await new Promise((r) => setTimeout(r, Math.min(this.#s.blockMs, this.#s.discoverEveryMs)));
          continue;
        }
        const block = Math.max(10, Math.min(this.#s.blockMs, this.#nextReclaim - Date.now()));
        const reply = (await this.#blocking.xreadgroup(
          'GROUP', this.#group, this.#name, 'COUNT', this.#opts.prefetch, 'BLOCK', block,
          'STREAMS', ...this.#streams, ...this.#streams.map(() => '>'),
        )) as [string, Entry[]][] | null;
        for (const [stream, entries] of reply ?? []) {
          for (const entry of entries) await this.#handle(stream, entry, 1);
        }
      } catch (err) {
        if (this.#closed) return;
        this.#opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async #reclaim(): Promise<void> {
    this.#nextReclaim = Date.now() + Math.max(100, Math.min(this.#opts.retryDelayMs, this.#s.claimIdleMs / 2));
    for (const stream of this.#streams) {
      const claimed: Entry[] = [];
      const own = this.#failed.get(stream);
      if (own && own.size > 0) {
        const ids = [...own];
        own.clear();
        claimed.push(...((await this.#redis.xclaim(stream, this.#group, this.#name, this.#opts.retryDelayMs, ...ids)) as Entry[]));
        // Claimed too early (idle < retryDelayMs) comes back empty: keep it for the next round.
        for (const id of ids) if (!claimed.some(([cid]) => cid === id)) own.add(id);
      }
      const auto = (await this.#redis.xautoclaim(stream, this.#group, this.#name, this.#s.claimIdleMs, '0-0', 'COUNT', 100)) as [string, Entry[], string[]?];
      claimed.push(...auto[1]);
      if (claimed.length === 0) continue;
      const counts = new Map<string, number>();
      const pending = (await this.#redis.xpending(stream, this.#group, '-', '+', 1000, this.#name)) as [string, string, number, number][];
      for (const [id, , , times] of pending) counts.set(id, Number(times));
      for (const entry of claimed) await this.#handle(stream, entry, counts.get(entry[0]) ?? 2);
    }
  }

  async #handle(stream: string, [id, fields]: Entry, attempt: number): Promise<void> {
    if (fields === null) {
      // Trimmed by MAXLEN while pending: nothing left to deliver.
      await this.#redis.xack(stream, this.#group, id);
      return;
    }
    const value = (name: string) => { const i = fields.indexOf(name); return i >= 0 && i % 2 === 0 ? fields[i + 1] : undefined; };
    const topic = stream.slice(this.#s.prefix.length + 1);
    const key = value('k');
    const ctx: DeliveryContext = { topic, redelivered: attempt > 1, attempt, ...(key === undefined ? {} : { key }) };
    let event;
    try {
      event = deserializeEvent(value('e') ?? '');
    } catch (err) {
      this.#opts.onError?.(err);
      await this.#redis.multi().xadd(`${stream}:dlq`, '*', ...fields, 'error', String(err)).xack(stream, this.#group, id).exec();
      return;
    }
    try {
      await this.#handler(event, ctx);
      await this.#redis.xack(stream, this.#group, id);
    } catch (err) {
      if (attempt >= this.#opts.maxDeliveries) {
        await this.#redis.multi().xadd(`${stream}:dlq`, '*', ...fields, 'error', String(err)).xack(stream, this.#group, id).exec();
        this.#opts.onDeadLetter?.(event, err, ctx);
        return;
      }
      let own = this.#failed.get(stream);
      if (!own) this.#failed.set(stream, (own = new Set()));
      own.add(id);
    }
  }
}
