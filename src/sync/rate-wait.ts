/**
 * Attributes the HTTP client's rate-limit waits to the runs using each
 * connection. The connector runtime reports waits per connection
 * (`onRateLimitWait`); a run subscribes for the connections it opened. Two
 * runs on one connection at the same time each see the shared wait.
 */
export class RateWaitMeter {
  private readonly listeners = new Map<string, Set<(ms: number) => void>>();

  /** Pass this to `new ConnectorRuntime({ onRateLimitWait })`. */
  readonly onRateLimitWait = (ms: number, info: { connectionId: string }): void => {
    for (const fn of this.listeners.get(info.connectionId) ?? []) fn(ms);
  };

  watch(connectionIds: readonly string[], fn: (ms: number) => void): () => void {
    const ids = [...new Set(connectionIds)];
    for (const id of ids) {
      let set = this.listeners.get(id);
      if (!set) this.listeners.set(id, (set = new Set()));
      set.add(fn);
    }
    return () => {
      for (const id of ids) {
        const set = this.listeners.get(id);
        set?.delete(fn);
        if (set?.size === 0) this.listeners.delete(id);
      }
    };
  }
}
