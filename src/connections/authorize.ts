import * as oauth from 'oauth4webapi';
import { invalid } from '../domain/errors.ts';
import { record, type ConnectionsContext } from './context.ts';
import { oauthStateContext } from './credentials.ts';
import type { Actor } from './ports.ts';
import { checkConfig, resolveProvider } from './provider-spec.ts';

export interface AuthorizeInput {
  provider: string;
  /** The caller's name for the connection (a customer id); reconnecting the same name replaces its tokens. */
  externalId: string;
  /** Where the user's browser goes after the callback; absent = a small success page. */
  returnTo?: string;
  config?: Record<string, unknown>;
  /** Our callback URL, registered at the provider. */
  callbackUrl: string;
}

export interface AuthorizeStart {
  url: string;
  state: string;
  expiresAt: number;
}

/** Keys under this prefix ride along in the stored state and never reach the connection config. */
export const STATE_META_PREFIX = '__';

/**
 * Starts the authorization code flow: a random single-use `state`, a PKCE
 * verifier sealed in the vault next to it (bound to the state), and the
 * provider's authorize URL built from the catalog entry.
 */
export async function startAuthorization(ctx: ConnectionsContext, tenantId: string, input: AuthorizeInput, actor: Actor): Promise<AuthorizeStart> {
  const config = input.config ?? {};
  const provider = resolveProvider(ctx.catalog, ctx.providers, input.provider, 'oauth2', config);
  const spec = provider.auth;
  if (spec.mode !== 'oauth2') throw invalid('provider', `${input.provider} has no oauth2 auth mode`);
  checkConfig(provider.entry, 'oauth2', config);
  if (!provider.client.clientId) throw invalid('provider', `no OAuth client is configured for ${input.provider} (providers.${input.provider}.clientId)`);
  if (input.returnTo !== undefined && !/^https?:\/\//.test(input.returnTo)) throw invalid('redirect', 'must be an absolute http(s) URL');

  const now = ctx.now();
  const state = oauth.generateRandomState();
  const verifier = spec.pkce === 'no' ? null : oauth.generateRandomCodeVerifier();
  const expiresAt = now + ctx.stateTtlMs;
  await ctx.store.oauthStates.create({
    state, tenantId, provider: input.provider, externalId: input.externalId,
    sealedCodeVerifier: verifier === null ? null : ctx.vault.seal(verifier, oauthStateContext(state)),
    redirectUri: input.callbackUrl, returnTo: input.returnTo ?? null,
    config: { ...config, [`${STATE_META_PREFIX}actor`]: actor.id }, expiresAt, createdAt: now,
  });

  const url = new URL(spec.authorizationUrl);
  for (const [k, v] of Object.entries(spec.authorizationParams)) url.searchParams.set(k, v);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', provider.client.clientId);
  url.searchParams.set('redirect_uri', input.callbackUrl);
  if (spec.scopes.length > 0) url.searchParams.set('scope', spec.scopes.join(spec.scopeSeparator));
  url.searchParams.set('state', state);
  if (verifier !== null) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  await record(ctx, { tenantId, id: input.externalId, provider: input.provider }, 'connection.authorize_started', actor, { externalId: input.externalId });
  return { url: url.toString(), state, expiresAt };
}
