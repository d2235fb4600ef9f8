import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OAuth 2.0 / OIDC server (oidc-provider) on loopback, with one
 * confidential client, PKCE required, devInteractions for a scripted login
 * and consent, and refresh-token rotation when asked. Token endpoint calls
 * are counted from the provider's own grant events.
 */
export interface OidcServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Token endpoint calls by grant type, successes and errors. */
  calls: { success: Record<string, number>; error: Record<string, number> };
  close: () => Promise<void>;
}

export interface OidcOptions {
  redirectUri: string;
  rotateRefreshToken: boolean;
  accessTokenTtlSec?: number;
  /** Also allow the client credentials grant for the client. */
  clientCredentials?: boolean;
}

export async function startOidcServer(o: OidcOptions): Promise<OidcServer> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'switchyard-test';
  const clientSecret = 'a-test-client-secret-that-is-long-enough-0123456789';
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId, client_secret: clientSecret, redirect_uris: [o.redirectUri],
      grant_types: ['authorization_code', 'refresh_token', ...(o.clientCredentials ? ['client_credentials'] : [])], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true }, clientCredentials: { enabled: o.clientCredentials === true } },
    scopes: ['openid', 'offline_access', 'api:read'],
    rotateRefreshToken: o.rotateRefreshToken,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed: (g: string) => boolean }) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: o.accessTokenTtlSec ?? 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 14 * 24 * 3600, Interaction: 600, Session: 3600, Grant: 14 * 24 * 3600 },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    cookies: { keys: ['switchyard-test-cookie-key'] },
  });
  const calls: OidcServer['calls'] = { success: {}, error: {} };
  const count = (bucket: Record<string, number>, ctx: { oidc?: { params?: Record<string, unknown> } }) => {
    const g = String(ctx.oidc?.params?.grant_type ?? 'unknown');
    bucket[g] = (bucket[g] ?? 0) + 1;
  };
  provider.on('grant.success', (ctx) => count(calls.success, ctx));
  provider.on('grant.error', (ctx) => count(calls.error, ctx));
  server.on('request', provider.callback());
  return {
    issuer, clientId, clientSecret, calls,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
