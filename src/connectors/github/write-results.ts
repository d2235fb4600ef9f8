import { ProviderError } from '../../http-client/index.ts';

/**
 * A failed GitHub write as a per-record result. 422 (validation) and 404
 * will fail again; rate limits, 5xx and lost answers may not.
 */
export function writeFailure(err: unknown): { ok: false; error: string; retryable: boolean } {
  if (!(err instanceof ProviderError)) return { ok: false, error: err instanceof Error ? err.message : String(err), retryable: false };
  const retryable = err.code !== 'provider_http_error' || err.status >= 500;
  return { ok: false, error: `${err.message}${detail(err)}`, retryable };
}

function detail(err: ProviderError): string {
  try {
    const body = err.response?.json<{ message?: string; errors?: Array<{ field?: string; code?: string }> }>();
    const fields = (body?.errors ?? []).map((e) => `${e.field ?? '?'} ${e.code ?? ''}`.trim()).join(', ');
    return body?.message ? `: ${body.message}${fields ? ` (${fields})` : ''}` : '';
  } catch {
    return '';
  }
}
