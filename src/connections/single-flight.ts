/**
 * One refresh per connection per process: the first caller runs, the rest
 * share its promise until it settles. Across processes the store's refresh
 * lease does the same job (see refresh.ts).
 */
export class SingleFlight {
  readonly #running = new Map<string, Promise<unknown>>();

  do<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running) return running as Promise<T>;
    const p = fn().finally(() => this.#running.delete(key));
    this.#running.set(key, p);
    return p;
  }

  get size(): number {
    return this.#running.size;
  }
}
