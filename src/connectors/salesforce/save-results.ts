import { ProviderError } from '../../http-client/index.ts';
import type { DeleteResult, UpsertResult } from '../types.ts';

/**
 * Salesforce SaveResults and errors in the contract's terms. A failure is
 * retryable when trying again later can succeed: a locked row, the org's
 * API limit, a server that said so, or a request that got no answer.
 */
export interface SaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

const RETRYABLE_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'ALL_OR_NONE_OPERATION_ROLLED_BACK']);

export function saveError(r: SaveResult): { error: string; retryable: boolean } {
  const errors = r.errors ?? [];
  const error = errors.map((e) => `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`).join('; ') || 'failed without an error';
  return { error, retryable: errors.length > 0 && errors.every((e) => RETRYABLE_CODES.has(e.statusCode ?? '')) };
}

export function toUpsertResult(r: SaveResult | undefined, created: boolean): UpsertResult {
  if (!r) return { ok: false, error: 'no result for this record', retryable: true };
  if (r.success && r.id) return { ok: true, id: r.id, created };
  return { ok: false, ...saveError(r) };
}

export function toDeleteResult(id: string, r: SaveResult | undefined): DeleteResult {
  if (!r) return { id, ok: false, error: 'no result for this record', retryable: true };
  // Deleting what is already in the recycle bin leaves the state the caller wanted.
  if (r.success || r.errors?.some((e) => e.statusCode === 'ENTITY_IS_DELETED')) return { id, ok: true };
  return { id, ok: false, ...saveError(r) };
}

/** A whole request that failed: every record in it failed the same way. */
export function requestFailure(err: unknown): { ok: false; error: string; retryable: boolean } {
  if (err instanceof ProviderError) {
    const retryable = err.code !== 'provider_http_error' || err.status >= 500 || err.status === 429;
    return { ok: false, error: `${err.message}${detail(err)}`, retryable };
  }
  return { ok: false, error: err instanceof Error ? err.message : String(err), retryable: false };
}

function detail(err: ProviderError): string {
  try {
    const body = err.response?.json<Array<{ errorCode?: string; message?: string }>>();
    const first = Array.isArray(body) ? body[0] : undefined;
    return first ? `: ${first.errorCode ?? ''} ${first.message ?? ''}`.trimEnd() : '';
  } catch {
    return '';
  }
}
