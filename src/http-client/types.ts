/** What callers hand the client and what they get back. */

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>;

export interface ProviderRequest {
  method: string;
  /** A path under the profile's baseUrl (`/crm/v3/objects/contacts`), or an absolute URL on the same origin (pagination links). */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** A plain object or array is sent as JSON; a string, Uint8Array or URLSearchParams as is. */
  body?: unknown;
  /**
   * Marks a non-GET request as safe to repeat (an upsert by key, a search, a
   * GraphQL query). Without it a POST is retried only where the provider
   * cannot have acted on it; see docs/http-client.md.
   */
  idempotent?: boolean;
  /** Sent in the profile's `idempotencyHeader`; makes the request idempotent. */
  idempotencyKey?: string;
  /** Points this request spends on `costed` rate-limit rules (Monday complexity). */
  cost?: number;
  signal?: AbortSignal;
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  /** The whole body, read within the body timeout. */
  body: Uint8Array;
  text(): string;
  /** Parses the body as JSON (undefined for an empty body). */
  json<T = unknown>(): T;
  /** Attempts made, including the first and any retry after a token refresh. */
  attempts: number;
  /** Time this request spent waiting for the proactive rate limiter, over all attempts. */
  rateLimitWaitMs: number;
}

export interface CallEvent {
  provider: string;
  connectionId: string;
  method: string;
  /** Path only: the query string can carry credentials (query-param auth) and is never reported. */
  path: string;
  /** HTTP status, or 0 when no response came (network error, timeout). */
  status: number;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  rateLimitWaitMs: number;
  /** Set when no response came: `timeout`, `network`, `circuit_open`. */
  error?: string;
  /** Only when the client's `debug` is on, and always after the `redact` function. */
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface Span {
  end(status: { code: number; error?: string }): void;
}

/** The smallest tracer OpenTelemetry can sit behind. */
export interface Tracer {
  startSpan(name: string, attributes: Record<string, string | number>): Span;
}
