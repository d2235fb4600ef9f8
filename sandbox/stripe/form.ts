/**
 * Stripe's bracket notation (`metadata[plan]=pro`, `types[0]=a`,
 * `created[gt]=1`) turned into nested values. Both the query string and the
 * form body arrive as flat `key → value` maps; stripe-node indexes arrays, so
 * keys are unique.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function nest(flat: Record<string, unknown>): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, rawValue] of Object.entries(flat)) {
    const value = Array.isArray(rawValue) ? rawValue.map(String) : String(rawValue);
    const parts = rawKey.replace(/\]/g, '').split('[');
    let node: Record<string, FormValue> = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i] as string;
      const child = node[key];
      if (child === undefined || typeof child === 'string' || Array.isArray(child)) node[key] = {};
      node = node[key] as Record<string, FormValue>;
    }
    const leaf = parts[parts.length - 1] as string;
    // `types[]=a&types[]=b` (unindexed) arrives as an array under `types[`.
    if (leaf === '') node[''] = value;
    else node[leaf] = value;
  }
  return arraysOf(root) as Record<string, FormValue>;
}

/** Objects whose keys are 0..n-1 (or the single '' key) become arrays. */
function arraysOf(v: FormValue): FormValue {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  const fixed: Record<string, FormValue> = {};
  for (const k of keys) fixed[k] = arraysOf(v[k] as FormValue);
  if (keys.length === 1 && keys[0] === '') {
    const only = fixed[''] as FormValue;
    return Array.isArray(only) ? only : [only];
  }
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => fixed[k] as FormValue);
  return fixed;
}

export function str(v: FormValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function strings(v: FormValue | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return Object.values(v).filter((x): x is string => typeof x === 'string');
}
