import type { FieldError } from '../domain/errors.ts';

/**
 * What a mapper reports about one record. `field` is always the target path
 * of a field declared in the spec, so a caller can point at the culprit.
 */
export interface MappingFieldError extends FieldError {
  code: string;
}

/** A problem in the spec itself, with the path into the spec, e.g. `fields[3].transform[1].args.table`. */
export interface SpecError {
  path: string;
  message: string;
}

/**
 * Thrown by a step or a conversion when a value cannot be handled. The mapper
 * catches it and turns it into a field error; it never leaves the mapper.
 */
export class StepError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'StepError';
    this.code = code;
  }
}

/** Renders a zod/issue path the way users write it: `fields[3].transform[1].args.table`. */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** A short, bounded rendering of a bad value for messages. */
export function describe(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'an array' : typeof value === 'object' && value !== null ? 'an object' : String(value);
  } catch {
    s = typeof value;
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
