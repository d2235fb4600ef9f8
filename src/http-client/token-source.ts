/**
 * Where the client gets credentials. The connections module implements this
 * over stored, sealed tokens; `refresh()` is its single-flight refresh. The
 * client calls `refresh()` at most once per request, after a 401.
 */
export interface Token {
  value: string;
  /** `bearer`, `basic`, `api_key`…: informational; the profile's auth style decides the header. */
  type: string;
}

export interface TokenSource {
  getToken(): Promise<Token>;
  refresh(): Promise<Token>;
}

/** A token that never changes (personal tokens, API keys, tests). Refresh returns the same value. */
export function staticToken(value: string, type = 'bearer'): TokenSource {
  const token = { value, type };
  return { getToken: async () => token, refresh: async () => token };
}
