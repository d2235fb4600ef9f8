import * as oauth from 'oauth4webapi';
import { newId } from '../domain/ids.ts';
import type { Connection } from '../store/repos/connections.ts';
import type { OAuthState } from '../store/repos/oauth-states.ts';
import { STATE_META_PREFIX } from './authorize.ts';
import { forget, record, type ConnectionsContext } from './context.ts';
import { oauthStateContext, rememberSecrets, sealCredentials, type Credentials } from './credentials.ts';
import { classifyGrantError } from './grant-error.ts';
import { issuerOf, parties, requestOptions } from './oauth-client.ts';
import type { Actor } from './ports.ts';
import { resolveProvider } from './provider-spec.ts';
import { nextRefreshAt } from './refresh-policy.ts';
import { toTokenSet } from './token-response.ts';

export type CallbackOutcome =
  | { ok: true; connection: Connection; created: boolean; returnTo: string | null }
  | { ok: false; status: number; error: string; description: string; returnTo: string | null; provider?: string };

const fail = (status: number, error: string, description: string, s?: OAuthState): CallbackOutcome =>
  ({ ok: false, status, error, description, returnTo: s?.returnTo ?? null, ...(s ? { provider: s.provider } : {}) });

function splitMeta(config: Record<string, unknown>): { config: Record<string, unknown>; actor: string } {
  const out: Record<string, unknown> = {};
  let actor = 'unknown';
  for (const [k, v] of Object.entries(config)) {
    if (k === `${STATE_META_PREFIX}actor`) actor = String(v);
    else if (!k.startsWith(STATE_META_PREFIX)) out[k] = v;
  }
  return { config: out, actor };
}

/**
 * The provider sends the browser back here. The state is consumed first (a
 * state works once, even if what follows fails), then oauth4webapi checks
 * the response (state, `iss`, `error=`), and the code is exchanged with
 * the PKCE verifier that was sealed next to the state.
 */
export async function completeAuthorization(ctx: ConnectionsContext, params: URLSearchParams, requestId: string | null): Promise<CallbackOutcome> {
  const state = params.get('state');
  if (!state) return fail(400, 'invalid_state', 'The callback carries no state parameter.');
  const s = await ctx.store.oauthStates.consume(state, ctx.now());
  if (!s) return fail(400, 'invalid_state', 'This authorization link is unknown, expired or was already used. Start the connection again.');
  const { config, actor: actorId } = splitMeta(s.config);
  const actor: Actor = { id: actorId, requestId };

  const provider = resolveProvider(ctx.catalog, ctx.providers, s.provider, 'oauth2', config);
  const spec = provider.auth;
  if (spec.mode !== 'oauth2') return fail(400, 'invalid_request', `${s.provider} has no oauth2 auth mode`, s);
  const p = parties({ issuer: issuerOf(spec.authorizationUrl), authorizationUrl: spec.authorizationUrl, tokenUrl: spec.tokenUrl }, provider.client, spec.tokenAuthMethod);

  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(p.as, p.client, params, state);
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError) {
      await record(ctx, { tenantId: s.tenantId, id: s.externalId, provider: s.provider }, 'connection.connect_failed', actor, { error: err.error });
      return fail(400, err.error, err.error_description ?? `The provider answered ${err.error}.`, s);
    }
    return fail(400, 'invalid_response', `The provider's answer was not valid: ${(err as Error).message}`, s);
  }

  const verifier = s.sealedCodeVerifier === null ? oauth.nopkce : ctx.vault.open(s.sealedCodeVerifier, oauthStateContext(state));
  let body: oauth.TokenEndpointResponse;
  try {
    const res = await oauth.authorizationCodeGrantRequest(p.as, p.client, p.auth, validated, s.redirectUri, verifier, requestOptions(spec.tokenUrl, ctx.http, spec.tokenBodyFormat));
    body = await oauth.processAuthorizationCodeResponse(p.as, p.client, res);
  } catch (err) {
    const g = await classifyGrantError(err);
    await record(ctx, { tenantId: s.tenantId, id: s.externalId, provider: s.provider }, 'connection.connect_failed', actor, { error: g.providerError ?? g.kind });
    return fail(g.kind === 'transient' ? 502 : 400, g.providerError ?? 'token_exchange_failed', `Exchanging the code failed: ${ctx.secrets.string(g.message)}`, s);
  }

  const now = ctx.now();
  const { token, kept } = toTokenSet(body, spec.tokenResponse, now);
  const creds: Credentials = { mode: 'oauth2', secret: {}, token };
  rememberSecrets(ctx.secrets, creds);
  const fullConfig = { ...config, ...kept };
  const saved = await save(ctx, s, creds, fullConfig, now);
  if (!saved.ok) return saved;
  await record(ctx, saved.connection, 'connection.connected', actor, { externalId: s.externalId, reconnect: !saved.created }, 'connection.connected');
  return saved;
}

async function save(ctx: ConnectionsContext, s: OAuthState, creds: Credentials, config: Record<string, unknown>, now: number): Promise<CallbackOutcome> {
  const repo = ctx.store.forTenant(s.tenantId).connections;
  const expiresAt = creds.token?.expiresAt ?? null;
  const next = nextRefreshAt(ctx.policy, expiresAt);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await repo.byExternalId(s.provider, s.externalId);
    if (existing) {
      if (existing.authMode !== 'oauth2') return fail(409, 'conflict', `${s.externalId} is a ${existing.authMode} connection; delete it before connecting with OAuth`, s);
      const sealed = sealCredentials(ctx.vault, s.tenantId, existing.id, creds);
      if (await repo.writeCredentials(existing.id, existing.credentialsVersion, { sealedCredentials: sealed, expiresAt, nextRefreshAt: next, now, config })) {
        forget(ctx, s.tenantId, existing.id);
        return { ok: true, connection: { ...existing, sealedCredentials: sealed, credentialsVersion: existing.credentialsVersion + 1, expiresAt, config, status: 'active' }, created: false, returnTo: s.returnTo };
      }
      continue;
    }
    const id = newId('connection', now);
    const sealed = sealCredentials(ctx.vault, s.tenantId, id, creds);
    try {
      await repo.create({ id, provider: s.provider, externalId: s.externalId, authMode: 'oauth2', sealedCredentials: sealed, expiresAt, nextRefreshAt: next, config, now });
    } catch (err) {
      // Two callbacks for the same name raced; the loser updates the winner's row.
      ctx.log.info({ err, externalId: s.externalId }, 'connection created concurrently; retrying as a reconnect');
      continue;
    }
    const created = await repo.get(id);
    if (created) return { ok: true, connection: created, created: true, returnTo: s.returnTo };
  }
  return fail(409, 'conflict', `connection ${s.externalId} kept changing while it was being saved; connect again`, s);
}
