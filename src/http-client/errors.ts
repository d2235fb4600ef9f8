import type { ProviderResponse } from './types.ts';

/**
 * Errors the client throws. Messages name the provider, method and path only:
 * never a header, a query string (query-param auth) or a token. The response,
 * when there is one, hangs off a non-enumerable property so a logger that
 * serialises the error does not print the provider's body.
 */
export type ProviderErrorCode =
  | 'provider_http_error'
  | 'provider_rate_limited'
  | 'provider_auth_failed'
  | 'provider_timeout'
  | 'provider_network_error'
  | 'provider_unavailable';

export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly provider: string;
  readonly status: number;
  /** When the provider asked us to come back (Retry-After or reset header), in ms from now. */
  readonly retryAfterMs: number | undefined;
  declare readonly response: ProviderResponse | undefined;

  constructor(code: ProviderErrorCode, provider: string, message: string, opts: { status?: number; retryAfterMs?: number; response?: ProviderResponse; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProviderError';
    this.code = code;
    this.provider = provider;
    this.status = opts.status ?? 0;
    this.retryAfterMs = opts.retryAfterMs;
    Object.defineProperty(this, 'response', { value: opts.response, enumerable: false });
  }
}

/** Connection refused / DNS failure: the request never reached the provider, so any method may be repeated. */
export function neverSent(err: unknown): boolean {
  const code = causeCode(err);
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

export function causeCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('provider_')) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Rebuilds an error chain without any message that contains the secret, so a
 * token that ended up in a URL (query-param auth) cannot leak through undici's
 * messages.
 */
export function scrubSecret(err: unknown, secret: string): unknown {
  if (!secret || !(err instanceof Error)) return err;
  const leaks = (e: unknown): boolean => e instanceof Error && (e.message.includes(secret) || String(e.stack).includes(secret) || leaks(e.cause));
  if (!leaks(err)) return err;
  const clean = new Error(err.message.split(secret).join('[redacted]'));
  clean.name = err.name;
  const code = causeCode(err);
  if (code) Object.assign(clean, { code });
  return clean;
}
