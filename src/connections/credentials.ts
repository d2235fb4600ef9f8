import type { SecretBox, SecretRegistry } from './ports.ts';

/**
 * The sealed JSON of a connection: `secret` is the long-lived material a
 * token is minted from (a private key, a client secret, an API key), `token`
 * is the current token set. Both are sealed together so a rotated refresh
 * token and its access token are written in one compare-and-set.
 */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  /** Epoch ms; null = the provider says it never expires. */
  expiresAt: number | null;
  scope?: string;
}

export interface Credentials {
  mode: string;
  secret: Record<string, string>;
  token?: TokenSet;
}

/**
 * The vault context binds a sealed value to its row: a sealed blob copied
 * onto another connection (or tenant) does not open. Key rotation must use
 * the same context when it re-wraps (`credentialsContext(tenantId, id)`).
 */
export const credentialsContext = (tenantId: string, connectionId: string): string => `connection:${tenantId}:${connectionId}`;

export const oauthStateContext = (state: string): string => `oauth_state:${state}`;

export function sealCredentials(box: SecretBox, tenantId: string, connectionId: string, creds: Credentials): string {
  return box.seal(JSON.stringify(creds), credentialsContext(tenantId, connectionId));
}

export function openCredentials(box: SecretBox, secrets: SecretRegistry, tenantId: string, connectionId: string, sealed: string): Credentials {
  const creds = JSON.parse(box.open(sealed, credentialsContext(tenantId, connectionId))) as Credentials;
  rememberSecrets(secrets, creds);
  return creds;
}

/** Every plaintext that came out of the vault is masked in logs from now on. */
export function rememberSecrets(secrets: SecretRegistry, creds: Credentials): void {
  for (const v of Object.values(creds.secret)) secrets.add(v);
  secrets.add(creds.token?.accessToken);
  secrets.add(creds.token?.refreshToken);
}
