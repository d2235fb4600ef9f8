import { CatalogError } from './errors.ts';
import { fieldProblem, isHttpUrl, type ConnectionConfig } from './connection-config.ts';
import { applyOverrides, type ProviderOverrides } from './overrides.ts';
import { CONNECTION_URL_OVERRIDES, type AuthMode, type AuthSpecOf, type ProviderEntry } from './schema.ts';

/** The concrete URLs one connection uses, templates expanded and overrides applied. */
export interface ResolvedUrls {
  baseUrl: string;
  additionalBaseUrls: Record<string, string>;
  authorizationUrl?: string;
  tokenUrl?: string;
  revokeUrl?: string;
  audience?: string;
  installationTokenUrl?: string;
}

type AuthUrlKey = Exclude<keyof ResolvedUrls, 'baseUrl' | 'additionalBaseUrls'>;

/** The spec for one auth mode of an entry, typed by mode. */
export function authSpecOf<M extends AuthMode>(entry: ProviderEntry, mode: M): AuthSpecOf<M> {
  const spec = entry.auth.find((a): a is AuthSpecOf<M> => a.mode === mode);
  if (!spec) {
    throw new CatalogError(entry.id, [{ field: 'authMode', message: `${entry.id} has no auth mode ${mode} (has: ${entry.auth.map((a) => a.mode).join(', ')})` }]);
  }
  return spec;
}

/**
 * Resolves the URLs of one connection. Precedence, highest first: the
 * connection's own `baseUrl`/`tokenUrl`/... config keys, then `overrides`
 * (env, same syntax as CATALOG_OVERRIDES for this provider), then the
 * catalog. `${connectionConfig.x}` templates are expanded last, from the
 * connection's config or the field's default.
 */
export function resolveUrls(entry: ProviderEntry, authMode: AuthMode, connectionConfig: ConnectionConfig, overrides?: ProviderOverrides): ResolvedUrls {
  const effective = overrides && Object.keys(overrides).length > 0 ? applyOverrides(entry, overrides) : entry;
  const spec = authSpecOf(effective, authMode) as Record<string, unknown>;
  const pick = (key: string, catalogValue: string): string => {
    const own = connectionConfig[key];
    if (own === undefined || own === null || own === '') return catalogValue;
    if (typeof own !== 'string') throw new CatalogError(entry.id, [{ field: `connectionConfig.${key}`, message: 'must be a string URL' }]);
    return own;
  };
  for (const key of CONNECTION_URL_OVERRIDES) {
    if (key !== 'baseUrl' && connectionConfig[key] !== undefined && typeof spec[key] !== 'string') {
      throw new CatalogError(entry.id, [{ field: `connectionConfig.${key}`, message: `auth mode ${authMode} has no ${key} to override` }]);
    }
  }
  const expand = (field: string, template: string) => expandTemplate(entry, field, template, connectionConfig);
  const out: ResolvedUrls = {
    baseUrl: expand('api.baseUrl', pick('baseUrl', effective.api.baseUrl)),
    additionalBaseUrls: Object.fromEntries(Object.entries(effective.api.additionalBaseUrls).map(([name, u]) => [name, expand(`api.additionalBaseUrls.${name}`, u)])),
  };
  for (const key of CONNECTION_URL_OVERRIDES) {
    if (key === 'baseUrl' || typeof spec[key] !== 'string') continue;
    out[key as AuthUrlKey] = expand(`auth.${authMode}.${key}`, pick(key, spec[key] as string));
  }
  return out;
}

/**
 * Expands `${connectionConfig.x}` in one URL. Values are checked against the
 * field's type and pattern before they go in, and plain strings are
 * percent-encoded, so a config value cannot move a URL to another host.
 */
export function expandTemplate(entry: ProviderEntry, field: string, template: string, config: ConnectionConfig): string {
  const expanded = template.replace(/\$\{connectionConfig\.([a-zA-Z][a-zA-Z0-9_]*)\}/g, (_m, name: string) => {
    const declared = entry.connectionConfig[name];
    const raw = config[name] ?? declared?.default;
    if (raw === undefined || raw === null || raw === '') {
      throw new CatalogError(entry.id, [{ field, message: `needs connectionConfig.${name}, which this connection does not set` }]);
    }
    if (declared) {
      const problem = fieldProblem(declared, raw);
      if (problem) throw new CatalogError(entry.id, [{ field: `connectionConfig.${name}`, message: problem }]);
    }
    if (declared?.type === 'url') return String(raw).replace(/\/+$/, '');
    return encodeURIComponent(String(raw));
  });
  if (expanded.includes('${')) throw new CatalogError(entry.id, [{ field, message: `unexpanded template in ${expanded}` }]);
  if (!isHttpUrl(expanded)) throw new CatalogError(entry.id, [{ field, message: `expands to ${expanded}, which is not an http(s) URL` }]);
  return expanded;
}
