/**
 * Collapses concurrent calls for one key into one: the first caller runs
 * `fn`, later callers share its promise until it settles. Per process only;
 * two processes may still both load (the cache then holds the later value).
 */
export class SingleFlight {
  readonly #inflight = new Map<string, Promise<unknown>>();

  do<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.#inflight.get(key);
    if (running) return running as Promise<T>;
    const p = fn().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, p);
    return p;
  }
}

/** The read-through recipe both adapters share: get, else load once, set and return. */
export async function readThrough<T>(
  cache: { get<V>(ns: string, t: string, k: string): Promise<V | undefined>; set(ns: string, t: string, k: string, v: unknown, ttl?: number): Promise<void> },
  flight: SingleFlight,
  fullKey: string,
  namespace: string, tenant: string, key: string, ttlMs: number, loader: () => Promise<T>,
): Promise<T> {
  const cached = await cache.get<T>(namespace, tenant, key);
  if (cached !== undefined) return cached;
  return flight.do(fullKey, async () => {
    const value = await loader();
    if (value !== undefined) await cache.set(namespace, tenant, key, value, ttlMs);
    return value;
  });
}
