import type { z } from 'zod';
import { HubError, type FieldError } from '../domain/errors.ts';

/**
 * A catalog file, an override or a connection's config that does not fit.
 * The message names where (file or provider) and the key path, so one line
 * in a boot log says what to fix.
 */
export class CatalogError extends HubError {
  /** The file or source (`catalog/hubspot.yaml`, `CATALOG_OVERRIDES`, a provider id). */
  readonly where: string;

  constructor(where: string, errors: FieldError[], opts: { cause?: unknown } = {}) {
    const detail = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
    super('validation_failed', `${where}: ${detail}`, { errors, cause: opts.cause });
    this.name = 'CatalogError';
    this.where = where;
  }
}

/** Dotted key path, as written in YAML and in override keys: `auth.0.tokenUrl`. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Zod issues as field errors; an unknown key is reported at its own path, where the reader will look for it. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: keyPath([...issue.path, k]), message: 'unknown key' }));
    }
    if (issue.code === 'invalid_union' && issue.path.at(-1) === 'mode') {
      return [{ field: keyPath(issue.path), message: `unknown auth mode; expected one of ${(issue as { options?: unknown[] }).options?.join(', ') ?? 'a known mode'}` }];
    }
    return [{ field: keyPath(issue.path), message: issue.message }];
  });
}
