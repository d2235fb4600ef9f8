/**
 * Connection lifecycle events. The outbox will subscribe through `on` and
 * write them as domain events; until then they are a hook for whoever
 * composes the service. A failing listener is logged, never propagated:
 * an event must not undo the change it reports.
 */
export const CONNECTION_EVENTS = [
  'connection.created',
  'connection.connected',
  'connection.refreshed',
  'connection.refresh_failed',
  'connection.needs_reauth',
  'connection.revoked',
] as const;

export type ConnectionEventName = (typeof CONNECTION_EVENTS)[number];

export interface ConnectionEvent {
  name: ConnectionEventName;
  tenantId: string;
  connectionId: string;
  provider: string;
  at: number;
  details?: Record<string, unknown>;
}

export type ConnectionEventListener = (e: ConnectionEvent) => void | Promise<void>;

export class ConnectionEvents {
  readonly #listeners = new Map<ConnectionEventName, Set<ConnectionEventListener>>();
  readonly #onError: (err: unknown, e: ConnectionEvent) => void;

  constructor(onError: (err: unknown, e: ConnectionEvent) => void) {
    this.#onError = onError;
  }

  /** Subscribes; returns the unsubscribe function. */
  on(name: ConnectionEventName, fn: ConnectionEventListener): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  emit(e: ConnectionEvent): void {
    for (const fn of this.#listeners.get(e.name) ?? []) {
      try {
        const out = fn(e);
        if (out instanceof Promise) out.catch((err: unknown) => this.#onError(err, e));
      } catch (err) {
        this.#onError(err, e);
      }
    }
  }
}
