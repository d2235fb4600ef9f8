import { cacheKey, scopedRegExp, type Cache, type CacheStats } from './port.ts';
import { readThrough, SingleFlight } from './single-flight.ts';
import { StatsCounter } from './stats.ts';

interface Entry {
  json: string;
  /** 0 = never expires. */
  expiresAt: number;
}

/**
 * The in-process cache (single node). Bounded: past `maxEntries` the least
 * recently used key goes (Map order is insertion order; reads re-insert).
 * Expired entries are dropped when touched.
 */
export class MemoryCache implements Cache {
  readonly #entries = new Map<string, Entry>();
  readonly #stats = new StatsCounter();
  readonly #flight = new SingleFlight();
  readonly #prefix: string;
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: { prefix?: string; maxEntries?: number; now?: () => number } = {}) {
    this.#prefix = opts.prefix ?? 'switchyard:cache';
    this.#max = opts.maxEntries ?? 50_000;
    this.#now = opts.now ?? Date.now;
  }

  async get<T = unknown>(namespace: string, tenant: string, key: string): Promise<T | undefined> {
    const k = cacheKey(this.#prefix, namespace, tenant, key);
    const entry = this.#entries.get(k);
    if (!entry || (entry.expiresAt !== 0 && entry.expiresAt <= this.#now())) {
      if (entry) this.#entries.delete(k);
      this.#stats.record(namespace, tenant, 'misses');
      return undefined;
    }
    this.#entries.delete(k);
    this.#entries.set(k, entry);
    this.#stats.record(namespace, tenant, 'hits');
    return JSON.parse(entry.json) as T;
  }

  async set(namespace: string, tenant: string, key: string, value: unknown, ttlMs = 0): Promise<void> {
    const k = cacheKey(this.#prefix, namespace, tenant, key);
    this.#entries.delete(k);
    this.#entries.set(k, { json: JSON.stringify(value), expiresAt: ttlMs > 0 ? this.#now() + ttlMs : 0 });
    this.#stats.record(namespace, tenant, 'sets');
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  async delete(namespace: string, tenant: string, key: string): Promise<boolean> {
    return this.#entries.delete(cacheKey(this.#prefix, namespace, tenant, key));
  }

  async invalidatePattern(namespace: string, pattern: string, tenant: string): Promise<number> {
    const re = scopedRegExp(this.#prefix, namespace, tenant, pattern);
    let removed = 0;
    for (const k of [...this.#entries.keys()]) {
      if (re.test(k)) {
        this.#entries.delete(k);
        removed += 1;
      }
    }
    return removed;
  }

  async stats(tenant?: string): Promise<CacheStats[]> {
    return this.#stats.snapshot(tenant);
  }

  readThrough<T>(namespace: string, tenant: string, key: string, ttlMs: number, loader: () => Promise<T>): Promise<T> {
    return readThrough(this, this.#flight, cacheKey(this.#prefix, namespace, tenant, key), namespace, tenant, key, ttlMs, loader);
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
