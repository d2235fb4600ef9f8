import { checkConnectionConfig } from '../catalog/connection-config.ts';
import type { AuthMode, AuthSpec, ProviderEntry } from '../catalog/schema.ts';
import { resolveUrls } from '../catalog/urls.ts';
import { HubError, invalid } from '../domain/errors.ts';
import type { ProviderCatalog, ProviderClient, ProviderClients } from './ports.ts';

/**
 * A catalog entry made concrete for one connection: the auth mode picked,
 * its URLs resolved by the catalog's rules (the connection's own
 * `tokenUrl`/`baseUrl`/… config keys, then provider overrides, then the
 * catalog; `${connectionConfig.x}` expanded) and the client registration.
 */
export interface ResolvedProvider {
  entry: ProviderEntry;
  auth: AuthSpec;
  client: ProviderClient;
  /** Resolved on use: before the first token, a template may name a setting the token response fills (Salesforce instanceUrl). */
  apiBaseUrl: () => string;
}

export function catalogEntry(catalog: ProviderCatalog, providerId: string): ProviderEntry {
  const entry = catalog.get(providerId);
  if (!entry) throw new HubError('not_found', `provider ${providerId} is not in the catalog`);
  return entry;
}

export function pickAuth(entry: ProviderEntry, mode?: string): AuthSpec {
  const spec = mode ? entry.auth.find((a) => a.mode === mode) : entry.auth[0];
  if (!spec) throw invalid('authMode', `${entry.id} supports ${entry.auth.map((a) => a.mode).join(', ')}, not ${mode}`);
  return spec;
}

/** Checks a connection's config against the catalog's declared fields (required for this mode, types, patterns). */
export function checkConfig(entry: ProviderEntry, mode: AuthMode, config: Record<string, unknown>): void {
  const errors = checkConnectionConfig(entry, mode, config);
  if (errors.length > 0) throw new HubError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
}

export function resolveProvider(catalog: ProviderCatalog, clients: ProviderClients, providerId: string, mode: string | undefined, config: Record<string, unknown>): ResolvedProvider {
  const entry = catalogEntry(catalog, providerId);
  const base = pickAuth(entry, mode);
  const client = clients[providerId] ?? {};
  // Auth URLs are resolved without the API URLs, whose templates may not be fillable yet.
  const authOnly = { ...entry, api: { ...entry.api, baseUrl: 'https://api.invalid', additionalBaseUrls: {} } };
  const authOverrides = Object.fromEntries(Object.entries(client.overrides ?? {}).filter(([k]) => !k.startsWith('api.')));
  const urls = resolveUrls(authOnly, base.mode, config, authOverrides);
  const scopes = client.scopes;
  let auth: AuthSpec;
  switch (base.mode) {
    case 'oauth2':
      auth = { ...base, authorizationUrl: urls.authorizationUrl ?? base.authorizationUrl, tokenUrl: urls.tokenUrl ?? base.tokenUrl, revokeUrl: urls.revokeUrl, scopes: scopes ?? base.scopes };
      if (auth.revokeUrl === undefined) delete auth.revokeUrl;
      break;
    case 'client_credentials':
      auth = { ...base, tokenUrl: urls.tokenUrl ?? base.tokenUrl, scopes: scopes ?? base.scopes };
      break;
    case 'jwt_bearer':
      auth = { ...base, tokenUrl: urls.tokenUrl ?? base.tokenUrl, audience: urls.audience ?? base.audience };
      break;
    case 'github_app':
      auth = { ...base, installationTokenUrl: urls.installationTokenUrl ?? base.installationTokenUrl };
      break;
    case 'service_account':
      auth = { ...base, tokenUrl: urls.tokenUrl ?? base.tokenUrl, scopes: scopes ?? base.scopes };
      break;
    default:
      auth = base;
  }
  return { entry, auth, client, apiBaseUrl: () => resolveUrls(entry, base.mode, config, client.overrides).baseUrl };
}
