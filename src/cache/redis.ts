import type { Redis } from 'ioredis';
import { assertName, cacheKey, scopedGlob, type Cache, type CacheStats } from './port.ts';
import { readThrough, SingleFlight } from './single-flight.ts';
import { sortStats, StatsCounter } from './stats.ts';

/**
 * The Redis cache, shared by every process. Invalidation walks keys with
 * SCAN MATCH and removes them with UNLINK: never KEYS, which blocks Redis
 * for the whole keyspace.
 *
 * Counters are kept in the process and flushed every `flushEveryMs` (and
 * before `stats()`) with HINCRBY into `{prefix}#stats:{tenant}` (the `#`
 * keeps it apart from every namespace's keys), so a cache hit costs one round
 * trip, not two, and the counts are cluster-wide.
 */
export interface RedisCacheOptions {
  prefix?: string;
  flushEveryMs?: number;
  /** Close the client on close() (when the cache created it). */
  ownsClient?: boolean;
}

export class RedisCache implements Cache {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #pending = new StatsCounter();
  readonly #flight = new SingleFlight();
  readonly #timer: NodeJS.Timeout;
  readonly #ownsClient: boolean;

  constructor(redis: Redis, opts: RedisCacheOptions = {}) {
    this.#redis = redis;
    this.#prefix = opts.prefix ?? 'switchyard:cache';
    this.#ownsClient = opts.ownsClient ?? false;
    this.#timer = setInterval(() => void this.#flush().catch(() => undefined), opts.flushEveryMs ?? 1000);
    this.#timer.unref();
  }

  async get<T = unknown>(namespace: string, tenant: string, key: string): Promise<T | undefined> {
    const raw = await this.#redis.get(cacheKey(this.#prefix, namespace, tenant, key));
    this.#pending.record(namespace, tenant, raw === null ? 'misses' : 'hits');
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set(namespace: string, tenant: string, key: string, value: unknown, ttlMs = 0): Promise<void> {
    const k = cacheKey(this.#prefix, namespace, tenant, key);
    const json = JSON.stringify(value);
    if (ttlMs > 0) await this.#redis.set(k, json, 'PX', ttlMs);
    else await this.#redis.set(k, json);
    this.#pending.record(namespace, tenant, 'sets');
  }

  async delete(namespace: string, tenant: string, key: string): Promise<boolean> {
    return (await this.#redis.unlink(cacheKey(this.#prefix, namespace, tenant, key))) > 0;
  }

  async invalidatePattern(namespace: string, pattern: string, tenant: string): Promise<number> {
    const match = scopedGlob(this.#prefix, namespace, tenant, pattern);
    let removed = 0;
    for await (const keys of this.#redis.scanStream({ match, count: 500 })) {
      const batch = keys as string[];
      if (batch.length > 0) removed += await this.#redis.unlink(...batch);
    }
    return removed;
  }

  async stats(tenant?: string): Promise<CacheStats[]> {
    await this.#flush();
    const keys: string[] = [];
    if (tenant !== undefined) {
      assertName('tenant', tenant);
      keys.push(this.#statsKey(tenant));
    } else {
      for await (const batch of this.#redis.scanStream({ match: `${this.#statsKey('')}*`, count: 500 })) keys.push(...(batch as string[]));
    }
    const out: CacheStats[] = [];
    for (const k of keys) {
      const t = k.slice(this.#statsKey('').length);
      const fields = await this.#redis.hgetall(k);
      const byNs = new Map<string, CacheStats>();
      for (const [field, value] of Object.entries(fields)) {
        const [ns, counter] = field.split('|') as [string, 'hits' | 'misses' | 'sets'];
        let s = byNs.get(ns);
        if (!s) byNs.set(ns, (s = { namespace: ns, tenant: t, hits: 0, misses: 0, sets: 0 }));
        s[counter] = Number(value);
      }
      out.push(...byNs.values());
    }
    return sortStats(out);
  }

  readThrough<T>(namespace: string, tenant: string, key: string, ttlMs: number, loader: () => Promise<T>): Promise<T> {
    return readThrough(this, this.#flight, cacheKey(this.#prefix, namespace, tenant, key), namespace, tenant, key, ttlMs, loader);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#flush();
    if (this.#ownsClient) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #statsKey(tenant: string): string {
    return `${this.#prefix}#stats:${tenant}`;
  }

  async #flush(): Promise<void> {
    const counts = this.#pending.drain();
    if (counts.length === 0) return;
    const pipe = this.#redis.pipeline();
    for (const s of counts) {
      for (const counter of ['hits', 'misses', 'sets'] as const) {
        if (s[counter] > 0) pipe.hincrby(this.#statsKey(s.tenant), `${s.namespace}|${counter}`, s[counter]);
      }
    }
    await pipe.exec();
  }
}
