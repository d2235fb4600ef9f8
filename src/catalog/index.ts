/** The provider catalog: YAML entries under catalog/, validated, with URL overrides and template expansion. */
export { loadCatalog, parseEntry, type Catalog, type LoadOptions } from './loader.ts';
export { applyOverrides, overrideKeys, parseCatalogOverrides, type CatalogOverrides, type ProviderOverrides } from './overrides.ts';
export { authSpecOf, expandTemplate, resolveUrls, type ResolvedUrls } from './urls.ts';
export { checkConnectionConfig, type ConnectionConfig } from './connection-config.ts';
export { CatalogError } from './errors.ts';
export { providerEntry, authSpec, AUTH_MODES, CONNECTION_URL_OVERRIDES, type ProviderEntry, type AuthSpec, type AuthSpecOf, type AuthMode, type ConfigField } from './schema.ts';
