import { parse } from 'yaml';
import type { SpecError } from './errors.ts';

/**
 * Reads a spec from YAML or JSON text (JSON is YAML). Aliases are capped so a
 * hostile document cannot expand exponentially ("billion laughs").
 */
export function parseSpecText(text: string): { ok: true; value: unknown } | { ok: false; errors: SpecError[] } {
  try {
    return { ok: true, value: parse(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: true }) as unknown };
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `not YAML/JSON: ${(e as Error).message}` }] };
  }
}
