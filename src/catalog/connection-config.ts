import type { FieldError } from '../domain/errors.ts';
import type { AuthMode, ConfigField, ProviderEntry } from './schema.ts';

export type ConnectionConfig = Readonly<Record<string, unknown>>;

const INTEGER = /^\d+$/;

/** Whether a declared field concerns connections using `mode`. */
export function appliesTo(field: ConfigField, mode: AuthMode): boolean {
  return field.modes === undefined || field.modes.includes(mode);
}

/**
 * Checks a connection's config against the provider's declared fields:
 * required ones present (for this auth mode), types and patterns. Keys the
 * provider does not declare are left alone: the config also carries fields
 * kept from token responses and per-connection URL overrides.
 */
export function checkConnectionConfig(entry: ProviderEntry, mode: AuthMode, config: ConnectionConfig): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, field] of Object.entries(entry.connectionConfig)) {
    const value = config[name];
    if (value === undefined || value === null || value === '') {
      if (field.required && appliesTo(field, mode)) errors.push({ field: `connectionConfig.${name}`, message: `is required for ${entry.id} (${field.description})` });
      continue;
    }
    const problem = fieldProblem(field, value);
    if (problem) errors.push({ field: `connectionConfig.${name}`, message: problem });
  }
  return errors;
}

/** Why `value` does not fit `field`, or undefined when it does. */
export function fieldProblem(field: ConfigField, value: unknown): string | undefined {
  if (field.type === 'integer') {
    const ok = (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && INTEGER.test(value));
    if (!ok) return 'must be a non-negative integer';
  } else if (typeof value !== 'string') {
    return `must be a string, got ${typeof value}`;
  } else if (field.type === 'url' && !isHttpUrl(value)) {
    return 'must be an http(s) URL';
  }
  if (field.pattern !== undefined && !new RegExp(field.pattern).test(String(value))) return `must match ${field.pattern}`;
  return undefined;
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
