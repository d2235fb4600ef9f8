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

/** Builds one attempt's request; may be async (JWT signing with jose). Called again for every retry. */
export type Signer = (sub: Subscription, body: string, eventType: string, attempt: number) => OutgoingDelivery | Promise<OutgoingDelivery>;

/**
 * Whether the receiver's answer ends the delivery. The default is any 2xx;
 * Salesforce wants a SOAP `<Ack>true</Ack>`, Slack stops on `x-slack-no-retry: 1`.
 */
export type AckCheck = (status: number, headers: Record<string, string>, body: string) => boolean;

export const is2xx: AckCheck = (status) => status >= 200 && status < 300;

export interface EmitOptions {
  /**
   * Picks the targets itself, in place of the event-name match: a board- or
   * column-scoped hook, the one hook a `ping` goes to, a new channel's `sync`.
   */
  only?: (sub: Subscription) => boolean;
  /** Overrides the sender's ack rule for this event. */
  isAck?: AckCheck;
  /** Overrides the sender's retry schedule for this event (`[]`: one attempt only). */
  retryDelaysMs?: number[];
}

interface Job {
  sub: Subscription;
  eventType: string;
  body: string;
  sign: Signer;
  isAck: AckCheck;
  delays: number[];
}

export class WebhookSender {
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveries: DeliveryRecord[] = [];
  retryDelaysMs: number[];
  timeoutMs: number;
  isAck: AckCheck;
  private readonly pending = new Set<Promise<void>>();
  /** Scheduled retries and how to settle each one early when cancelled. */
  private readonly timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  private inFlight = new AbortController();
  /** Bumped by reset/close so answers to cancelled attempts are neither logged nor retried. */
  private generation = 0;
  private closed = false;
  private nextId = 1;

  constructor(opts: { retryDelaysMs: number[]; timeoutMs?: number; isAck?: AckCheck }) {
    this.retryDelaysMs = opts.retryDelaysMs;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.isAck = opts.isAck ?? is2xx;
  }

  subscribe(input: Omit<Subscription, 'id'> & { id?: string }): Subscription {
    const sub = { ...input, id: input.id ?? String(this.nextId++) };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  /** Sends one event to every matching subscription; returns once each first attempt is done. */
  async emit(eventType: string, body: string, sign: Signer, opts: EmitOptions = {}): Promise<void> {
    if (this.closed) return;
    const wanted = opts.only ?? ((s: Subscription) => s.events.length === 0 || s.events.includes(eventType));
    const targets = [...this.subscriptions.values()].filter(wanted);
    const isAck = opts.isAck ?? this.isAck;
    const delays = opts.retryDelaysMs ?? this.retryDelaysMs;
    await Promise.all(targets.map((sub) => this.attempt({ sub, eventType, body, sign, isAck, delays }, 0)));
  }

  /** Waits for every scheduled retry to finish (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async attempt(job: Job, attempt: number): Promise<void> {
    const generation = this.generation;
    const out = await job.sign(job.sub, job.body, job.eventType, attempt);
    if (generation !== this.generation) return;
    let status: number | null = null;
    let error: string | undefined;
    let acked = false;
    try {
      const res = await fetch(out.url, {
        method: 'POST',
        headers: out.headers,
        body: out.body,
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.inFlight.signal]),
      });
      status = res.status;
      const text = await res.text();
      acked = job.isAck(res.status, Object.fromEntries(res.headers), text);
    } catch (err) {
      error = (err as Error).message;
    }
    if (generation !== this.generation) return;
    this.deliveries.push({ subscriptionId: job.sub.id, eventType: job.eventType, attempt, status, at: new Date().toISOString(), body: out.body, headers: out.headers, ...(error ? { error } : {}) });
    const delay = job.delays[attempt];
    if (acked || delay === undefined) return;
    this.schedule(delay, () => this.attempt(job, attempt + 1));
  }

  private schedule(delayMs: number, run: () => Promise<void>): void {
    const next = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        run().then(resolve, resolve);
      }, delayMs);
      this.timers.set(timer, resolve);
    });
    this.pending.add(next);
    void next.finally(() => this.pending.delete(next));
  }

  /** Cancels scheduled retries and aborts attempts on the wire, so a failing receiver keeps nothing alive. */
  private cancel(): void {
    this.generation += 1;
    for (const [timer, settle] of this.timers) {
      clearTimeout(timer);
      settle();
    }
    this.timers.clear();
    this.inFlight.abort();
    this.inFlight = new AbortController();
  }

  /** Forgets subscriptions, deliveries and pending retries; the sender stays usable. */
  reset(): void {
    this.cancel();
    this.subscriptions.clear();
    this.deliveries.length = 0;
  }

  /** Stops for good: later emits send nothing. */
  close(): void {
    this.closed = true;
    this.cancel();
  }
}
