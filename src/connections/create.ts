import { HubError, invalid } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { Connection } from '../store/repos/connections.ts';
import { record, type ConnectionsContext } from './context.ts';
import { rememberSecrets, sealCredentials, type Credentials } from './credentials.ts';
import { classifyGrantError } from './grant-error.ts';
import { mintToken } from './mint.ts';
import type { Actor } from './ports.ts';
import { checkConfig, resolveProvider } from './provider-spec.ts';
import { nextRefreshAt } from './refresh-policy.ts';
import { serviceAccountSecret } from './service-account.ts';

export interface CreateConnectionInput {
  provider: string;
  externalId: string;
  authMode?: string;
  config?: Record<string, unknown>;
  /** Write-only secret material; its shape depends on the mode (see docs/connections.md). */
  credentials: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

function need(input: Record<string, unknown>, name: string): string {
  const v = str(input[name]);
  if (!v) throw invalid(`credentials.${name}`, 'is required');
  return v;
}

function pickStrings(input: Record<string, unknown>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = str(input[n]);
    if (v) out[n] = v;
  }
  return out;
}

/** The long-lived secret for each non-OAuth mode; unknown fields are dropped, missing ones named. */
export function secretFor(mode: string, input: Record<string, unknown>): Record<string, string> {
  switch (mode) {
    case 'api_key': return { apiKey: need(input, 'apiKey') };
    case 'basic': return { username: need(input, 'username'), password: need(input, 'password') };
    case 'client_credentials': return pickStrings(input, ['clientId', 'clientSecret']);
    case 'jwt_bearer': return { ...pickStrings(input, ['clientId', 'privateKey']), username: need(input, 'username') };
    case 'github_app': return pickStrings(input, ['appId', 'privateKey']);
    case 'service_account': {
      const s = serviceAccountSecret(input);
      if (!s.clientEmail) throw invalid('credentials.keyFile', 'needs client_email');
      if (!s.privateKey) throw invalid('credentials.keyFile', 'needs private_key');
      return s;
    }
    default: throw invalid('authMode', `${mode} connections are made through GET /api/v1/connect/{provider}`);
  }
}

/**
 * Creates a connection for a mode that needs no browser. Modes that mint
 * tokens mint the first one now, so bad credentials fail here (422) rather
 * than at the first token read.
 */
export async function createConnection(ctx: ConnectionsContext, tenantId: string, input: CreateConnectionInput, actor: Actor): Promise<Connection> {
  const config = { ...input.config };
  if (str(input.credentials.installationId) && config.installationId === undefined) config.installationId = input.credentials.installationId;
  const provider = resolveProvider(ctx.catalog, ctx.providers, input.provider, input.authMode, config);
  const mode = provider.auth.mode;
  checkConfig(provider.entry, mode, config);
  const creds: Credentials = { mode, secret: secretFor(mode, input.credentials) };
  rememberSecrets(ctx.secrets, creds);
  const repo = ctx.store.forTenant(tenantId).connections;
  if (await repo.byExternalId(input.provider, input.externalId)) throw new HubError('conflict', `a ${input.provider} connection named ${input.externalId} exists`);

  const now = ctx.now();
  let keptConfig = config;
  if (mode !== 'api_key' && mode !== 'basic') {
    try {
      const minted = await mintToken({ provider, creds, config, http: ctx.http, now });
      creds.token = minted.token;
      keptConfig = { ...config, ...minted.kept };
      rememberSecrets(ctx.secrets, creds);
    } catch (err) {
      const g = await classifyGrantError(err);
      if (g.kind === 'transient') throw new HubError('unavailable', `the provider could not be reached to check these credentials: ${g.message}`, { cause: g, headers: { 'retry-after': '5' } });
      throw new HubError('validation_failed', `the provider refused these credentials: ${ctx.secrets.string(g.message)}`, { cause: g, errors: [{ field: 'credentials', message: 'refused by the provider' }] });
    }
  }
  const id = newId('connection', now);
  const expiresAt = creds.token?.expiresAt ?? null;
  try {
    await repo.create({
      id, provider: input.provider, externalId: input.externalId, authMode: mode, sealedCredentials: sealCredentials(ctx.vault, tenantId, id, creds),
      expiresAt, nextRefreshAt: nextRefreshAt(ctx.policy, expiresAt), config: keptConfig, now,
    });
  } catch (err) {
    throw new HubError('conflict', `a ${input.provider} connection named ${input.externalId} exists`, { cause: err });
  }
  const conn = await repo.get(id);
  if (!conn) throw new HubError('internal', `connection ${id} vanished after it was created`);
  await record(ctx, conn, 'connection.created', actor, { authMode: mode, externalId: input.externalId }, 'connection.created');
  return conn;
}
