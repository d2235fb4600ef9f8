/**
 * Delivers a fake's outgoing webhooks to subscribed URLs, signed by the
 * provider's own scheme, and retries failures on the provider's schedule
 * (scaled down by `retryDelaysMs`, a knob, so tests do not wait hours).
 */
export interface Subscription {
  id: string;
  url: string;
  /** Event types this subscription wants; empty means all. */
  events: string[];
  /** The secret the provider signs with for this subscription (client secret, signing secret ...). */
  secret: string;
}

export interface OutgoingDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface DeliveryRecord {
  subscriptionId: string;
  eventType: string;
  attempt: number;
  status: number | null;
  error?: string;
  at: string;
  body: string;
  headers: Record<string, string>;
}

export type Signer = (sub: Subscription, body: string, eventType: string, attempt: number) => OutgoingDelivery;

export class WebhookSender {
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveries: DeliveryRecord[] = [];
  retryDelaysMs: number[];
  timeoutMs: number;
  private readonly pending = new Set<Promise<void>>();
  private nextId = 1;

  constructor(opts: { retryDelaysMs: number[]; timeoutMs?: number }) {
    this.retryDelaysMs = opts.retryDelaysMs;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  subscribe(input: Omit<Subscription, 'id'> & { id?: string }): Subscription {
    const sub = { ...input, id: input.id ?? String(this.nextId++) };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  /** Sends one event to every matching subscription; returns once each first attempt is done. */
  async emit(eventType: string, body: string, sign: Signer): Promise<void> {
    const targets = [...this.subscriptions.values()].filter((s) => s.events.length === 0 || s.events.includes(eventType));
    await Promise.all(targets.map((sub) => this.attempt(sub, eventType, body, sign, 0)));
  }

  /** Waits for every scheduled retry to finish (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async attempt(sub: Subscription, eventType: string, body: string, sign: Signer, attempt: number): Promise<void> {
    const out = sign(sub, body, eventType, attempt);
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(out.url, {
        method: 'POST',
        headers: out.headers,
        body: out.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      error = (err as Error).message;
    }
    this.deliveries.push({ subscriptionId: sub.id, eventType, attempt, status, at: new Date().toISOString(), body: out.body, headers: out.headers, ...(error ? { error } : {}) });
    const ok = status !== null && status >= 200 && status < 300;
    const delay = this.retryDelaysMs[attempt];
    if (ok || delay === undefined) return;
    const next = new Promise<void>((resolve) => setTimeout(resolve, delay))
      .then(() => this.attempt(sub, eventType, body, sign, attempt + 1));
    this.pending.add(next);
    void next.finally(() => this.pending.delete(next));
  }

  reset(): void {
    this.subscriptions.clear();
    this.deliveries.length = 0;
  }
}
