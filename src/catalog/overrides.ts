import { z } from 'zod';
import { CatalogError, zodFieldErrors } from './errors.ts';
import { AUTH_URL_KEYS, providerEntry, urlFields, urlSchema, type ProviderEntry } from './schema.ts';

/**
 * URL overrides point a provider at a sandbox fake or a self-hosted
 * instance without editing the catalog. Keys name the URL to replace:
 *   `api.baseUrl`, `api.additionalBaseUrls.<name>`, `auth.<mode>.<urlKey>`
 * (modes are unique per provider, so the mode name is a stable address where
 * an array index would shift). Values follow the catalog's URL rule and may
 * use `${connectionConfig.x}` templates.
 */
export type ProviderOverrides = Readonly<Record<string, string>>;
export type CatalogOverrides = Readonly<Record<string, ProviderOverrides>>;

const overridesSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a provider id'), z.record(z.string(), urlSchema));

/** Parses the JSON text of `CATALOG_OVERRIDES` (the caller reads env); `where` names the source in errors. */
export function parseCatalogOverrides(text: string, where = 'CATALOG_OVERRIDES'): CatalogOverrides {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CatalogError(where, [{ field: '', message: `not valid JSON (${(err as Error).message})` }], { cause: err });
  }
  const result = overridesSchema.safeParse(json);
  if (!result.success) throw new CatalogError(where, zodFieldErrors(result.error));
  return result.data;
}

/** Every override key this entry accepts, e.g. `api.baseUrl`, `auth.oauth2.tokenUrl`. */
export function overrideKeys(entry: ProviderEntry): string[] {
  return urlFields(entry).map(([p]) => (p[0] === 'auth' ? `auth.${entry.auth[p[1] as number]!.mode}.${String(p[2])}` : p.join('.')));
}

/** Returns a new entry with the overrides applied; an unknown key or a bad URL is a CatalogError naming both. */
export function applyOverrides(entry: ProviderEntry, overrides: ProviderOverrides): ProviderEntry {
  const where = `catalog overrides for ${entry.id}`;
  const known = overrideKeys(entry);
  const out = structuredClone(entry) as ProviderEntry;
  for (const [key, value] of Object.entries(overrides)) {
    if (!known.includes(key)) {
      throw new CatalogError(where, [{ field: key, message: `not an overridable URL of ${entry.id} (known: ${known.join(', ')})` }]);
    }
    const [head, second, third] = key.split('.');
    if (head === 'api' && second === 'baseUrl') out.api.baseUrl = value;
    else if (head === 'api' && third !== undefined) out.api.additionalBaseUrls[third] = value;
    else {
      const spec = out.auth.find((a) => a.mode === second) as Record<string, unknown> | undefined;
      if (spec && (AUTH_URL_KEYS as readonly string[]).includes(third ?? '')) spec[third!] = value;
    }
  }
  const result = providerEntry.safeParse(out);
  if (!result.success) throw new CatalogError(where, zodFieldErrors(result.error));
  return result.data;
}
