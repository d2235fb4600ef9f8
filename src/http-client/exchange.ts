import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import { applyAuth } from './auth.ts';
import { ProviderError, scrubSecret } from './errors.ts';
import type { ProviderProfile } from './profile.ts';
import type { Token } from './token-source.ts';
import type { ProviderRequest, ProviderResponse } from './types.ts';

/**
 * One HTTP exchange on global fetch: URL and auth, then two cockatiel
 * timeouts, one until the headers arrive (connect included) and one for the
 * whole body. The body is read in full so retries, pagination and hooks all
 * see the same bytes.
 */

export function resolveUrl(profile: ProviderProfile, req: ProviderRequest): URL {
  const base = new URL(profile.baseUrl);
  let url: URL;
  if (/^https?:\/\//i.test(req.path)) {
    url = new URL(req.path);
    // A pagination link or caller URL must not carry our credentials to another host.
    if (url.origin !== base.origin) throw new ProviderError('provider_http_error', profile.provider, `${profile.provider}: refusing to send credentials to another origin`);
  } else {
    url = new URL(base.href.replace(/\/+$/, '') + (req.path.startsWith('/') ? req.path : `/${req.path}`));
  }
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      url.searchParams.delete(k);
      for (const one of v) url.searchParams.append(k, String(one));
    } else url.searchParams.set(k, String(v));
  }
  return url;
}

function encodeBody(body: unknown, headers: Headers): BodyInit | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams) return body as BodyInit;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(body);
}

export function makeResponse(status: number, headers: Headers, body: Uint8Array): ProviderResponse {
  return {
    status,
    headers,
    body,
    attempts: 1,
    rateLimitWaitMs: 0,
    text: () => Buffer.from(body).toString('utf8'),
    json<T>(): T {
      if (body.byteLength === 0) return undefined as T;
      return JSON.parse(Buffer.from(body).toString('utf8')) as T;
    },
  };
}

export async function exchange(profile: ProviderProfile, req: ProviderRequest, token: Token): Promise<ProviderResponse> {
  const url = resolveUrl(profile, req);
  const headers = new Headers(profile.defaultHeaders);
  for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k, v);
  if (req.idempotencyKey !== undefined && profile.idempotencyHeader) headers.set(profile.idempotencyHeader, req.idempotencyKey);
  applyAuth(profile.auth, token, url, headers);
  const body = encodeBody(req.body, headers);
  const method = req.method.toUpperCase();
  const bodyAbort = new AbortController();
  const where = `${profile.provider} ${method} ${url.pathname}`;

  const headersTimeout = timeout(profile.timeouts.headersMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  const bodyTimeout = timeout(profile.timeouts.bodyMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  try {
    const res = await headersTimeout.execute(
      (_ctx, signal) => fetch(url, { method, headers, body, signal: AbortSignal.any([signal, bodyAbort.signal]), redirect: 'manual' }),
      req.signal,
    );
    const bytes = await bodyTimeout.execute((_ctx, signal) => {
      signal.addEventListener('abort', () => bodyAbort.abort(), { once: true });
      return res.arrayBuffer();
    }, req.signal);
    return makeResponse(res.status, res.headers, new Uint8Array(bytes));
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason ?? err;
    const clean = scrubSecret(err, token.value);
    if (err instanceof TaskCancelledError) throw new ProviderError('provider_timeout', profile.provider, `${where}: timed out`, { cause: clean });
    throw new ProviderError('provider_network_error', profile.provider, `${where}: network error`, { cause: clean });
  }
}
