import { createHash } from 'node:crypto';

/**
 * A view is what one side of a record pair says about the mapped fields, in
 * the target's shape. Views are compared in canonical form: keys sorted,
 * empty values (undefined, null, '') dropped because providers store "unset"
 * differently (HubSpot clears a property with '' and reads it back as null or
 * ''), and scalars as text because providers return numbers as strings.
 */
export type View = Record<string, unknown>;

export function canonical(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => canonical(v) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return String(value);
}

export const canonicalView = (value: unknown): View => (canonical(value) as View | undefined) ?? {};

export function hashView(view: View): string {
  return createHash('sha256').update(JSON.stringify(view)).digest('hex');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `patch` laid over `base`: objects merge key by key, anything else in the
 * patch replaces (a null in the patch clears, an absent key keeps).
 */
export function overlay(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = overlay(base[k], v);
  return out;
}

/** Dotted paths of the leaves of a canonical view (arrays count as leaves). */
export function leafPaths(view: unknown, prefix = '', out: Set<string> = new Set()): Set<string> {
  if (!isPlainObject(view)) {
    if (prefix) out.add(prefix);
    return out;
  }
  for (const [k, v] of Object.entries(view)) leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

export function getLeaf(view: unknown, path: string): unknown {
  let at: unknown = view;
  for (const key of path.split('.')) {
    if (!isPlainObject(at)) return undefined;
    at = at[key];
  }
  return at;
}

export function setLeaf(view: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = view;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(at[key])) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
