import * as oauth from 'oauth4webapi';

/**
 * Why a token request failed, in the terms refresh policy needs:
 * `invalid_grant` (the refresh token or assertion is dead: counts toward
 * needs_reauth), `rejected` (the provider said no for another reason, e.g.
 * a bad client: retrying will not help soon) or `transient` (network,
 * timeout, 5xx, 429: back off and retry).
 */
export type GrantFailureKind = 'invalid_grant' | 'rejected' | 'transient';

export class GrantError extends Error {
  readonly kind: GrantFailureKind;
  readonly status: number | undefined;
  readonly providerError: string | undefined;

  constructor(kind: GrantFailureKind, message: string, opts: { status?: number; providerError?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GrantError';
    this.kind = kind;
    this.status = opts.status;
    this.providerError = opts.providerError;
  }
}

// Providers that do not speak RFC 6749 errors still say "the grant is dead" in their own words.
const DEAD_GRANT = /invalid_grant|BAD_REFRESH_TOKEN|BAD_AUTH_CODE|bad_refresh_token|bad_verification_code|expired access\/refresh token/i;

function byStatus(status: number, text: string, cause: unknown): GrantError {
  if (status === 429 || status >= 500) return new GrantError('transient', `token endpoint answered ${status}`, { status, cause });
  if (DEAD_GRANT.test(text)) return new GrantError('invalid_grant', `token endpoint refused the grant (${status}): ${text.slice(0, 200)}`, { status, providerError: 'invalid_grant', cause });
  return new GrantError('rejected', `token endpoint answered ${status}: ${text.slice(0, 200)}`, { status, cause });
}

export async function classifyGrantError(err: unknown): Promise<GrantError> {
  if (err instanceof GrantError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    const desc = err.error_description ? `: ${err.error_description}` : '';
    if (err.status === 429 || err.status >= 500) return new GrantError('transient', `token endpoint answered ${err.status} ${err.error}${desc}`, { status: err.status, providerError: err.error, cause: err });
    const kind = err.error === 'invalid_grant' ? 'invalid_grant' : 'rejected';
    return new GrantError(kind, `token endpoint refused: ${err.error}${desc}`, { status: err.status, providerError: err.error, cause: err });
  }
  if (err instanceof oauth.OperationProcessingError && err.cause instanceof Response) {
    const res = err.cause;
    const text = await res.clone().text().catch(() => '');
    if (!res.ok) return byStatus(res.status, text, err);
    if (DEAD_GRANT.test(text)) return new GrantError('invalid_grant', `token endpoint refused the grant: ${text.slice(0, 200)}`, { status: res.status, cause: err });
    return new GrantError('rejected', `token endpoint answer not understood: ${err.message}`, { status: res.status, cause: err });
  }
  if (err instanceof oauth.OperationProcessingError || err instanceof oauth.UnsupportedOperationError) {
    return new GrantError('rejected', `token endpoint answer not understood: ${err.message}`, { cause: err });
  }
  const name = (err as { name?: string })?.name;
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'TimeoutError' || name === 'AbortError') return new GrantError('transient', 'token endpoint timed out', { cause: err });
  return new GrantError('transient', `token endpoint unreachable: ${message}`, { cause: err });
}

/** For grants done with plain fetch (GitHub App): a non-2xx answer as a GrantError. */
export async function grantErrorFromResponse(res: Response): Promise<GrantError> {
  const text = await res.text().catch(() => '');
  return byStatus(res.status, text, undefined);
}
