import type { CacheStats } from './port.ts';

export type Counter = 'hits' | 'misses' | 'sets';

/** Hit/miss/set counts keyed by namespace and tenant. */
export class StatsCounter {
  #counts = new Map<string, CacheStats>();

  record(namespace: string, tenant: string, counter: Counter, by = 1): void {
    const id = `${namespace}\u0000${tenant}`;
    let s = this.#counts.get(id);
    if (!s) this.#counts.set(id, (s = { namespace, tenant, hits: 0, misses: 0, sets: 0 }));
    s[counter] += by;
  }

  snapshot(tenant?: string): CacheStats[] {
    return sortStats([...this.#counts.values()].filter((s) => tenant === undefined || s.tenant === tenant).map((s) => ({ ...s })));
  }

  /** Returns the counts so far and starts again from zero (for flushing to a shared store). */
  drain(): CacheStats[] {
    const out = [...this.#counts.values()];
    this.#counts = new Map();
    return out;
  }
}

export function sortStats(stats: CacheStats[]): CacheStats[] {
  return stats.sort((a, b) => a.tenant.localeCompare(b.tenant) || a.namespace.localeCompare(b.namespace));
}
