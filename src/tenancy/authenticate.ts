import { keyMatches, parseApiKey } from '../domain/api-key.ts';
import type { Store } from '../store/store.ts';

export interface Principal {
  tenantId: string;
  keyId: string;
  scopes: string[];
}

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; reason: 'malformed' | 'unknown' | 'mismatch' | 'revoked' };

/**
 * Resolves a presented API key to its tenant and scopes. Every failure is
 * the same 401 to the caller; the reason is for metrics and logs only.
 */
export async function authenticateKey(store: Store, presented: string): Promise<AuthOutcome> {
  const parts = parseApiKey(presented);
  if (!parts) return { ok: false, reason: 'malformed' };
  const row = await store.apiKeyLookup.byPrefix(parts.prefix);
  if (!row) return { ok: false, reason: 'unknown' };
  if (!keyMatches(parts.secret, row.salt, row.hash)) return { ok: false, reason: 'mismatch' };
  if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
  return { ok: true, principal: { tenantId: row.tenantId, keyId: row.id, scopes: row.scopes } };
}
