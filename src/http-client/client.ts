import { BrokenCircuitError } from 'cockatiel';
import { ConnectionBreaker, type Health } from './breaker.ts';
import { memoryBucketStore, type BucketStore } from './bucket-store.ts';
import { ProviderError } from './errors.ts';
import { exchange } from './exchange.ts';
import { paginate, type PageOptions, type Page } from './pagination/paginate.ts';
import { parseProfile, type ProviderProfile, type ProviderProfileInput } from './profile.ts';
import { AccountRateLimiter } from './rate-limiter.ts';
import { isIdempotent, isRateLimitAnswer, providerHint, requestRetryPolicy } from './retry-policy.ts';
import type { Token, TokenSource } from './token-source.ts';
import type { CallEvent, ProviderRequest, ProviderResponse, Tracer } from './types.ts';

export interface ProviderClientOptions {
  /** Validated with zod here, so a raw catalog object may be passed. */
  profile: ProviderProfile | ProviderProfileInput;
  connectionId: string;
  tokens: TokenSource;
  /** Whose budget the requests spend (the provider account or app); defaults to the connection id. */
  account?: string;
  /** Shared bucket state: `memoryBucketStore()` per process, or `redisBucketStore(redis)` across processes. */
  buckets?: BucketStore;
  /** Turns the proactive limiter off (the provider's 429s and retries remain). */
  rateLimit?: boolean;
  /** Cost of a request on `costed` rules when the request gives none (e.g. estimated GraphQL complexity). */
  cost?: (req: ProviderRequest) => number;
  onCall?: (event: CallEvent) => void;
  /** Every wait for the proactive limiter, for the "rate-limit wait time" of sync progress. */
  onRateLimitWait?: (ms: number, info: { provider: string; connectionId: string }) => void;
  onHealthChange?: (health: Health) => void;
  tracer?: Tracer;
  /** Puts request and response bodies on call events; requires `redact`. */
  debug?: boolean;
  redact?: (body: unknown, direction: 'request' | 'response') => unknown;
}

/**
 * The one way to call a provider for one connection: auth from the token
 * source (refresh once on a 401), proactive rate limits, retries, a circuit
 * breaker, and a call event and span per HTTP exchange.
 */
export class ProviderClient {
  readonly profile: ProviderProfile;
  readonly connectionId: string;
  private readonly opts: ProviderClientOptions;
  private readonly limiter: AccountRateLimiter | undefined;
  private readonly breaker: ConnectionBreaker;

  constructor(opts: ProviderClientOptions) {
    if (opts.debug && !opts.redact) throw new Error('ProviderClient: debug bodies need a redact function');
    this.opts = opts;
    this.profile = parseProfile(opts.profile);
    this.connectionId = opts.connectionId;
    const limited = opts.rateLimit !== false && this.profile.rateLimits.length > 0;
    this.limiter = limited ? new AccountRateLimiter(this.profile, opts.account ?? opts.connectionId, opts.buckets ?? memoryBucketStore()) : undefined;
    this.breaker = new ConnectionBreaker(this.profile, opts.connectionId, opts.onHealthChange);
  }

  health(): Health {
    return this.breaker.health();
  }

  /** Spends points after the fact on a costed rule (Monday reports a query's real complexity in its response). */
  async charge(points: number, ruleName?: string): Promise<void> {
    await this.limiter?.charge(points, ruleName);
  }

  /** Any final status comes back as a response; only a missing answer (network, timeout, open circuit) throws. */
  async request(req: ProviderRequest): Promise<ProviderResponse> {
    const startedAt = Date.now();
    const idempotent = isIdempotent(req.method, req.idempotent, req.idempotencyKey);
    const state = { attempt: 0, waited: 0, refreshed: false, token: undefined as Token | undefined };
    const retry = requestRetryPolicy(this.profile, idempotent, startedAt);
    try {
      const res = await retry.execute(() => this.breaker.policy.execute(() => this.attemptWithRefresh(req, state), req.signal), req.signal);
      res.attempts = state.attempt;
      res.rateLimitWaitMs = state.waited;
      return res;
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        this.emit(req, { status: 0, durationMs: 0, attempt: state.attempt + 1, rateLimitWaitMs: 0, error: 'circuit_open' });
        throw new ProviderError('provider_unavailable', this.profile.provider, `${this.profile.provider}: circuit open for connection ${this.connectionId}`, { cause: err });
      }
      throw err;
    }
  }

  /** A request whose answer must be 2xx; returns the parsed JSON body. */
  async json<T = unknown>(req: ProviderRequest): Promise<T> {
    const res = await this.request(req);
    this.assertOk(req, res);
    return res.json<T>();
  }

  /** Pages of a list, by the profile's preset or the one given. */
  pages<T = unknown>(req: ProviderRequest, options: PageOptions = {}): AsyncGenerator<Page<T>> {
    return paginate<T>(this, req, options);
  }

  /** Every item of a list, page after page. */
  async *items<T = unknown>(req: ProviderRequest, options: PageOptions = {}): AsyncGenerator<T> {
    for await (const page of this.pages<T>(req, options)) yield* page.items;
  }

  assertOk(req: ProviderRequest, res: ProviderResponse): void {
    if (res.status >= 200 && res.status < 300) return;
    const p = this.profile.provider;
    const where = `${p} ${req.method.toUpperCase()} ${pathOf(req.path)}`;
    const retryAfterMs = providerHint(res, this.profile);
    const opts = { status: res.status, response: res, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    if (isRateLimitAnswer(res, this.profile)) throw new ProviderError('provider_rate_limited', p, `${where}: rate limited (${res.status})`, opts);
    if (res.status === 401) throw new ProviderError('provider_auth_failed', p, `${where}: unauthorized after one token refresh`, opts);
    throw new ProviderError('provider_http_error', p, `${where}: HTTP ${res.status}`, opts);
  }

  /** A 401 gets one refresh and one more exchange, once per request. */
  private async attemptWithRefresh(req: ProviderRequest, state: { attempt: number; waited: number; refreshed: boolean; token: Token | undefined }): Promise<ProviderResponse> {
    state.token ??= await this.opts.tokens.getToken();
    const res = await this.once(req, state, state.token);
    if (res.status !== 401 || state.refreshed) return res;
    state.refreshed = true;
    state.token = await this.opts.tokens.refresh();
    return this.once(req, state, state.token);
  }

  private async once(req: ProviderRequest, state: { attempt: number; waited: number }, token: Token): Promise<ProviderResponse> {
    state.attempt += 1;
    const attempt = state.attempt;
    const waited = this.limiter ? await this.limiter.acquire(req.cost ?? this.opts.cost?.(req) ?? 1) : 0;
    state.waited += waited;
    if (waited > 0) this.opts.onRateLimitWait?.(waited, { provider: this.profile.provider, connectionId: this.connectionId });
    const span = this.opts.tracer?.startSpan('provider.request', {
      'provider': this.profile.provider, 'connection.id': this.connectionId, 'http.request.method': req.method.toUpperCase(), 'url.path': pathOf(req.path), 'attempt': attempt,
    });
    const started = performance.now();
    try {
      const res = await exchange(this.profile, req, token);
      const durationMs = performance.now() - started;
      if (this.limiter) await this.limiter.observe(res.headers);
      span?.end({ code: res.status });
      this.emit(req, { status: res.status, durationMs, attempt, rateLimitWaitMs: waited }, res);
      return res;
    } catch (err) {
      const durationMs = performance.now() - started;
      const error = err instanceof ProviderError ? (err.code === 'provider_timeout' ? 'timeout' : 'network') : 'aborted';
      span?.end({ code: 0, error });
      this.emit(req, { status: 0, durationMs, attempt, rateLimitWaitMs: waited, error });
      throw err;
    }
  }

  private emit(req: ProviderRequest, e: Pick<CallEvent, 'status' | 'durationMs' | 'attempt' | 'rateLimitWaitMs' | 'error'>, res?: ProviderResponse): void {
    if (!this.opts.onCall) return;
    const event: CallEvent = { provider: this.profile.provider, connectionId: this.connectionId, method: req.method.toUpperCase(), path: pathOf(req.path), ...e };
    if (e.error === undefined) delete event.error;
    if (this.opts.debug && this.opts.redact) {
      if (req.body !== undefined) event.requestBody = this.opts.redact(req.body, 'request');
      if (res) event.responseBody = this.opts.redact(safeJson(res), 'response');
    }
    this.opts.onCall(event);
  }
}

function pathOf(path: string): string {
  const noQuery = path.split('?')[0] ?? path;
  return /^https?:\/\//i.test(noQuery) ? new URL(noQuery).pathname : noQuery;
}

function safeJson(res: ProviderResponse): unknown {
  try {
    return res.json();
  } catch {
    return res.text();
  }
}
