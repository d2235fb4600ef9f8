import * as oauth from 'oauth4webapi';
import { HubError } from '../domain/errors.ts';
import type { ProviderClient } from './ports.ts';

/**
 * oauth4webapi wants an authorization server and a client; the catalog has
 * URLs, not discovery documents, so both are built from the resolved entry.
 * Plain http is refused unless the host is loopback (the sandbox fakes, the
 * test OAuth server) or the operator allowed it.
 */
export interface HttpPolicy {
  /** Allow http:// to any host (never in production). Loopback is always allowed. */
  allowInsecure: boolean;
  timeoutMs: number;
}

export interface OAuthParties {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  clientSecret: string | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function insecureAllowed(url: string, policy: HttpPolicy): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && (policy.allowInsecure || LOOPBACK.has(u.hostname));
}

type RequestOptions = { [oauth.allowInsecureRequests]?: boolean; [oauth.customFetch]?: typeof fetch; signal: AbortSignal };

/**
 * A few providers (Notion) want the token request as JSON; oauth4webapi
 * builds a form, so the body is re-encoded on its way out.
 */
const jsonBodyFetch = ((url: string, init: RequestInit) => {
  const form = init.body instanceof URLSearchParams ? init.body : new URLSearchParams(String(init.body ?? ''));
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json');
  return fetch(url, { ...init, headers, body: JSON.stringify(Object.fromEntries(form)) });
}) as unknown as typeof fetch;

export function requestOptions(url: string, policy: HttpPolicy, bodyFormat: 'form' | 'json' = 'form'): RequestOptions {
  return {
    ...(insecureAllowed(url, policy) ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(bodyFormat === 'json' ? { [oauth.customFetch]: jsonBodyFetch } : {}),
    signal: AbortSignal.timeout(policy.timeoutMs),
  };
}

export function parties(
  urls: { issuer: string; authorizationUrl?: string; tokenUrl: string; revokeUrl?: string },
  client: ProviderClient,
  tokenAuthMethod: 'client_secret_post' | 'client_secret_basic',
  override: { clientId?: string; clientSecret?: string } = {},
): OAuthParties {
  const clientId = override.clientId ?? client.clientId;
  const clientSecret = override.clientSecret ?? client.clientSecret;
  if (!clientId) throw new HubError('validation_failed', 'no OAuth client id is configured for this provider', { errors: [{ field: 'providers.clientId', message: 'is missing' }] });
  const as: oauth.AuthorizationServer = {
    issuer: urls.issuer,
    token_endpoint: urls.tokenUrl,
    ...(urls.authorizationUrl ? { authorization_endpoint: urls.authorizationUrl } : {}),
    ...(urls.revokeUrl ? { revocation_endpoint: urls.revokeUrl } : {}),
  };
  const auth = clientSecret === undefined ? oauth.None()
    : tokenAuthMethod === 'client_secret_basic' ? oauth.ClientSecretBasic(clientSecret) : oauth.ClientSecretPost(clientSecret);
  return { as, client: { client_id: clientId }, auth, clientSecret };
}

/**
 * The issuer an authorization response's `iss` must match (RFC 9207 mix-up
 * defence). Catalog entries carry no issuer, so the authorization URL's
 * origin stands in: it is what servers that send `iss` (oidc-provider,
 * Keycloak at a root path) put there.
 */
export const issuerOf = (authorizationUrl: string): string => new URL(authorizationUrl).origin;
