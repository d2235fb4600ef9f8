/**
 * API key scopes. `admin` implies every other scope. Routes declare the one
 * scope they need; the auth layer answers 403 when the key lacks it.
 */
export const SCOPES = [
  'admin',
  'keys:write',
  'audit:read',
  'webhooks:read',
  'webhooks:write',
  'connections:read',
  'connections:write',
  'tokens:read',
  'syncs:read',
  'syncs:write',
  'events:read',
  'events:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

export function hasScope(granted: readonly string[], needed: Scope): boolean {
  return granted.includes('admin') || granted.includes(needed);
}
