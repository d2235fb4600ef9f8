/**
 * The cache port: tenant-scoped, namespaced key/value with TTLs. Keys are
 * `{prefix}:{namespace}:{tenant}:{key}`; namespace and tenant are checked so
 * neither can smuggle a separator or glob character, which is what keeps one
 * tenant's patterns inside its own keys.
 *
 * Values are JSON: what comes back is a copy, never the object that was set.
 */
export interface Cache {
  get<T = unknown>(namespace: string, tenant: string, key: string): Promise<T | undefined>;
  /** `ttlMs` omitted or 0 means no expiry. */
  set(namespace: string, tenant: string, key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(namespace: string, tenant: string, key: string): Promise<boolean>;
  /**
   * Deletes the tenant's keys in `namespace` whose key part matches `pattern`,
   * where `*` matches any run of characters and every other character is
   * literal. Returns how many keys were removed.
   */
  invalidatePattern(namespace: string, pattern: string, tenant: string): Promise<number>;
  /** Counters per namespace and tenant, for one tenant or all. */
  stats(tenant?: string): Promise<CacheStats[]>;
  /**
   * Returns the cached value, or runs `loader` once however many callers in
   * this process ask for the same key at the same time, and caches its
   * result (an `undefined` result is returned but not cached).
   */
  readThrough<T>(namespace: string, tenant: string, key: string, ttlMs: number, loader: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface CacheStats {
  namespace: string;
  tenant: string;
  hits: number;
  misses: number;
  sets: number;
}

export class CacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheError';
  }
}

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export function assertName(kind: 'namespace' | 'tenant', value: string): void {
  if (!NAME.test(value)) throw new CacheError(`cache ${kind} "${value}" must match ${NAME.source}`);
}

/** The full key, after checking the parts that scope it. */
export function cacheKey(prefix: string, namespace: string, tenant: string, key: string): string {
  assertName('namespace', namespace);
  assertName('tenant', tenant);
  if (key.length === 0) throw new CacheError('cache key must not be empty');
  return `${prefix}:${namespace}:${tenant}:${key}`;
}

/** A Redis MATCH glob for a tenant's keys: the scope is literal, only the user's `*` is a wildcard. */
export function scopedGlob(prefix: string, namespace: string, tenant: string, pattern: string): string {
  const scope = cacheKey(prefix, namespace, tenant, 'x').slice(0, -1);
  return globEscape(scope) + pattern.split('*').map(globEscape).join('*');
}

export function scopedRegExp(prefix: string, namespace: string, tenant: string, pattern: string): RegExp {
  const scope = cacheKey(prefix, namespace, tenant, 'x').slice(0, -1);
  return new RegExp(`^${regExpEscape(scope)}${pattern.split('*').map(regExpEscape).join('.*')}$`, 's');
}

function globEscape(s: string): string {
  return s.replace(/[*?[\]\\^]/g, '\\$&');
}

function regExpEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
