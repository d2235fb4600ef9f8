import type { Credentials } from './credentials.ts';
import { insecureAllowed, type HttpPolicy } from './oauth-client.ts';
import type { ResolvedProvider } from './provider-spec.ts';
import { tokenView } from './token.ts';

export interface HealthCheck {
  url: string;
  /** The provider answered below 400. */
  ok: boolean;
  /** Neither 401 nor 403: the provider took the credentials (a 404 at the API root still counts). */
  credentialsAccepted: boolean;
  status: number | null;
  latencyMs: number;
  error?: string;
}

/** The headers that authenticate a call with these credentials, as the catalog describes them. */
export function authHeaders(provider: ResolvedProvider, creds: Credentials): { headers: Record<string, string>; query: Record<string, string> } {
  const t = tokenView(creds);
  const spec = provider.auth;
  if (spec.mode === 'api_key') {
    return spec.in === 'query' ? { headers: {}, query: { [spec.name]: t.accessToken } } : { headers: { [spec.name.toLowerCase()]: `${spec.prefix}${t.accessToken}` }, query: {} };
  }
  if (spec.mode === 'basic') return { headers: { authorization: `Basic ${t.accessToken}` }, query: {} };
  const h = provider.entry.api.tokenHeader;
  return { headers: { [h.name.toLowerCase()]: `${h.prefix}${t.accessToken}` }, query: {} };
}

/** One GET to the provider's API base URL with the connection's token: status and latency, never the body. */
export async function checkHealth(provider: ResolvedProvider, creds: Credentials, http: HttpPolicy): Promise<HealthCheck> {
  const url = new URL(provider.apiBaseUrl());
  if (url.protocol === 'http:' && !insecureAllowed(url.toString(), http)) {
    return { url: url.toString(), ok: false, credentialsAccepted: false, status: null, latencyMs: 0, error: 'refusing to send credentials over plain http' };
  }
  const { headers, query } = authHeaders(provider, creds);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const shown = new URL(provider.apiBaseUrl()).toString();
  const started = performance.now();
  try {
    const res = await fetch(url, { headers: { accept: 'application/json', 'user-agent': 'switchyard', ...provider.entry.api.headers, ...headers }, signal: AbortSignal.timeout(http.timeoutMs) });
    await res.body?.cancel();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { url: shown, ok: res.status < 400, credentialsAccepted: res.status !== 401 && res.status !== 403, status: res.status, latencyMs };
  } catch (err) {
    return { url: shown, ok: false, credentialsAccepted: false, status: null, latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  }
}
