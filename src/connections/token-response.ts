import type { TokenEndpointResponse } from 'oauth4webapi';
import type { AuthSpec } from '../catalog/schema.ts';
import type { TokenSet } from './credentials.ts';

type TokenResponseSpec = Extract<AuthSpec, { tokenResponse: unknown }>['tokenResponse'];

/**
 * Maps a token endpoint answer to a TokenSet with the catalog's rules: where
 * the lifetime is, what to assume when it is missing, and which extra fields
 * (Salesforce `instance_url`) belong in the connection's config.
 */
export function toTokenSet(res: TokenEndpointResponse, spec: TokenResponseSpec, now: number, previous?: TokenSet): { token: TokenSet; kept: Record<string, string> } {
  const raw = res as Record<string, unknown>;
  const lifetime = Number(raw[spec.expiresInField] ?? Number.NaN);
  const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : spec.defaultExpiresInSec;
  // A refresh that returns no refresh token keeps the old one (non-rotating providers, Salesforce without rotation).
  const refreshToken = res.refresh_token ?? previous?.refreshToken;
  const token: TokenSet = {
    accessToken: res.access_token,
    tokenType: res.token_type,
    expiresAt: seconds === null ? null : now + seconds * 1000,
    ...(refreshToken ? { refreshToken } : {}),
    ...(res.scope ? { scope: res.scope } : previous?.scope ? { scope: previous.scope } : {}),
  };
  const kept: Record<string, string> = {};
  for (const f of spec.keepFields) if (typeof raw[f] === 'string' || typeof raw[f] === 'number') kept[f] = String(raw[f]);
  // configFromResponse renames a response field into a declared setting (Salesforce instance_url -> instanceUrl).
  for (const [field, name] of Object.entries(spec.configFromResponse)) if (typeof raw[field] === 'string') kept[name] = raw[field];
  return { token, kept };
}
