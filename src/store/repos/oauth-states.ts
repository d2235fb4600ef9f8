import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

export interface OAuthState {
  state: string;
  tenantId: string;
  provider: string;
  externalId: string;
  /** Vault-sealed PKCE verifier. */
  sealedCodeVerifier: string | null;
  redirectUri: string;
  returnTo: string | null;
  config: Record<string, unknown>;
  expiresAt: number;
  createdAt: number;
}

/**
 * Authorization states. The callback arrives without an API key, so the
 * state itself says which tenant started the flow: lookup is cross-tenant,
 * and `consume` deletes the row so a state works once.
 */
export function oauthStatesRepo(db: Kysely<DB>) {
  return {
    async create(s: OAuthState): Promise<void> {
      await db.insertInto('oauth_states').values({
        state: s.state, tenant_id: s.tenantId, provider: s.provider, external_id: s.externalId, code_verifier: s.sealedCodeVerifier,
        redirect_uri: s.redirectUri, return_to: s.returnTo, config: JSON.stringify(s.config), expires_at: s.expiresAt, created_at: s.createdAt,
      }).execute();
    },
    /** Deletes and returns the state; undefined when unknown, already used or expired. */
    async consume(state: string, now: number): Promise<OAuthState | undefined> {
      const r = await db.selectFrom('oauth_states').selectAll().where('state', '=', state).executeTakeFirst();
      if (!r) return undefined;
      // Of two callbacks racing with the same state, only the one whose delete hits a row wins.
      const del = await db.deleteFrom('oauth_states').where('state', '=', state).executeTakeFirst();
      if (Number(del.numDeletedRows) === 0 || r.expires_at <= now) return undefined;
      return {
          state: r.state, tenantId: r.tenant_id, provider: r.provider, externalId: r.external_id, sealedCodeVerifier: r.code_verifier,
        redirectUri: r.redirect_uri, returnTo: r.return_to, config: JSON.parse(r.config) as Record<string, unknown>, expiresAt: r.expires_at, createdAt: r.created_at,
      };
    },
    async purgeExpired(now: number): Promise<number> {
      const r = await db.deleteFrom('oauth_states').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
