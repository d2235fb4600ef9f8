import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { CatalogError, zodFieldErrors } from './errors.ts';
import { applyOverrides, type CatalogOverrides } from './overrides.ts';
import { providerEntry, type ProviderEntry } from './schema.ts';

export interface Catalog {
  readonly entries: ReadonlyMap<string, ProviderEntry>;
  get(id: string): ProviderEntry | undefined;
  /** Like `get`, but an unknown id is a `not found` error naming the known ones. */
  require(id: string): ProviderEntry;
}

export interface LoadOptions {
  /** Per-provider URL overrides (from `CATALOG_OVERRIDES`, parsed by the caller). */
  overrides?: CatalogOverrides;
}

/**
 * Reads every `*.yaml` in `dir`, validates each against the schema and
 * applies URL overrides. Any fault throws one CatalogError naming the file
 * and key path: a catalog that half-loads would surface later as an
 * `undefined` in the middle of an OAuth flow.
 */
export async function loadCatalog(dir: string, options: LoadOptions = {}): Promise<Catalog> {
  const names = await readdir(dir);
  const misnamed = names.find((f) => f.endsWith('.yml'));
  // A .yml file would otherwise be skipped without a word, and its provider silently missing.
  if (misnamed) throw new CatalogError(displayPath(path.join(dir, misnamed)), [{ field: '', message: 'catalog files end in .yaml' }]);
  const files = names.filter((f) => f.endsWith('.yaml')).sort();
  const entries = new Map<string, ProviderEntry>();
  for (const file of files) {
    const full = path.join(dir, file);
    const entry = parseEntry(await readFile(full, 'utf8'), displayPath(full));
    const expectedId = file.slice(0, -'.yaml'.length);
    if (entry.id !== expectedId) {
      throw new CatalogError(displayPath(full), [{ field: 'id', message: `is "${entry.id}" but the file is named ${file}; name the file after the id` }]);
    }
    entries.set(entry.id, entry);
  }
  for (const [id, provider] of Object.entries(options.overrides ?? {})) {
    const entry = entries.get(id);
    if (!entry) throw new CatalogError('catalog overrides', [{ field: id, message: `no provider "${id}" in ${displayPath(dir)} (known: ${[...entries.keys()].join(', ')})` }]);
    entries.set(id, applyOverrides(entry, provider));
  }
  for (const [id, entry] of entries) entries.set(id, deepFreeze(entry));
  return {
    entries,
    get: (id) => entries.get(id),
    require(id) {
      const entry = entries.get(id);
      if (!entry) throw new CatalogError('catalog', [{ field: 'provider', message: `no provider "${id}" (known: ${[...entries.keys()].join(', ')})` }]);
      return entry;
    },
  };
}

/** Parses and validates one catalog file's text; `where` names it in errors. */
export function parseEntry(text: string, where: string): ProviderEntry {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CatalogError(where, doc.errors.map((e) => ({ field: '', message: `YAML syntax: ${e.message.split('\n')[0]}` })));
  }
  const result = providerEntry.safeParse(doc.toJS());
  if (!result.success) throw new CatalogError(where, zodFieldErrors(result.error));
  return result.data;
}

function displayPath(full: string): string {
  const rel = path.relative(process.cwd(), full);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : full;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
