import type { Credentials, TokenSet } from './credentials.ts';
import type { HttpPolicy } from './oauth-client.ts';
import type { ResolvedProvider } from './provider-spec.ts';

/** What every token-minting mode receives and returns. */
export interface GrantContext {
  provider: ResolvedProvider;
  creds: Credentials;
  config: Record<string, unknown>;
  http: HttpPolicy;
  now: number;
}

export interface GrantResult {
  token: TokenSet;
  /** Response fields the catalog keeps in the connection config (Salesforce `instance_url`). */
  kept: Record<string, string>;
}

export function secretField(creds: Credentials, name: string, fallback?: string): string {
  const v = creds.secret[name] ?? fallback;
  if (!v) throw new Error(`credentials field ${name} is missing`);
  return v;
}
