/**
 * Routes a stored event to its handlers by (provider, event type) patterns,
 * as data: `{ provider: 'github', type: 'issues.*', handlers: ['bus'] }`.
 * `*` matches any run of characters. Every matching route contributes its
 * handlers, each handler once, in route order.
 */
export interface WebhookRoute {
  provider: string;
  type: string;
  handlers: string[];
}

export interface DeliveredEvent {
  id: string;
  tenantId: string;
  sourceId: string;
  provider: string;
  type: string;
  receivedAt: number;
  headers: Record<string, string>;
  /** The parsed JSON body, or the body as text when it is not JSON. */
  body: unknown;
  rawBody: Buffer;
  /** 1 on the first delivery to handlers; more on retries and replays. */
  attempt: number;
}

export type WebhookHandler = (event: DeliveredEvent, signal: AbortSignal) => Promise<void>;

/** Every event goes to the bus, and to the syncs it concerns (a no-op when none do). */
export const DEFAULT_ROUTES: readonly WebhookRoute[] = [{ provider: '*', type: '*', handlers: ['bus', 'sync'] }];

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export class WebhookRouter {
  private readonly routes: { provider: RegExp; type: RegExp; handlers: string[] }[];
  readonly handlers: ReadonlyMap<string, WebhookHandler>;

  constructor(routes: readonly WebhookRoute[], handlers: ReadonlyMap<string, WebhookHandler>) {
    routes.forEach((r, i) => r.handlers.forEach((h, j) => {
      if (!handlers.has(h)) throw new Error(`webhook route ${i} handler ${j}: no handler named ${h} (known: ${[...handlers.keys()].join(', ')})`);
    }));
    this.routes = routes.map((r) => ({ provider: glob(r.provider), type: glob(r.type), handlers: r.handlers }));
    this.handlers = handlers;
  }

  handlersFor(provider: string, type: string): string[] {
    const out: string[] = [];
    for (const r of this.routes) {
      if (r.provider.test(provider) && r.type.test(type)) for (const h of r.handlers) if (!out.includes(h)) out.push(h);
    }
    return out;
  }
}
