import { HubError } from '../domain/errors.ts';
import { ProviderError } from '../http-client/index.ts';
import type { ConnectorRuntime } from './runtime.ts';
import type { ChangePage, DeleteResult, UpsertInput, UpsertResult } from './types.ts';

/** Provider failures in the API's vocabulary: 429 stays 429, unreachable is 503, anything else 502. */
export function asHubError(err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  const headers: Record<string, string> = err.retryAfterMs !== undefined ? { 'retry-after': String(Math.ceil(err.retryAfterMs / 1000)) } : {};
  if (err.code === 'provider_rate_limited') return new HubError('rate_limited', err.message, { cause: err, headers });
  if (err.code === 'provider_unavailable' || err.code === 'provider_timeout' || err.code === 'provider_network_error') return new HubError('provider_unavailable', err.message, { cause: err, headers });
  return new HubError('provider_error', err.message, { cause: err });
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asHubError(err);
  }
}

/**
 * Model operations run directly (the Actions API): the same calls the sync
 * engine makes, batched to the model's limit.
 */
export async function listRecords(runtime: ConnectorRuntime, tenantId: string, connectionId: string, model: string, q: { since?: string; cursor?: string; params?: Record<string, unknown> }): Promise<ChangePage> {
  const opened = await runtime.open(tenantId, connectionId, model, q.params ?? {});
  return guarded(() => opened.model.list(opened.ctx, { since: q.since ?? null, cursor: q.cursor ?? null }));
}

export async function upsertRecords(runtime: ConnectorRuntime, tenantId: string, connectionId: string, model: string, inputs: UpsertInput[], params: Record<string, unknown> = {}): Promise<UpsertResult[]> {
  const opened = await runtime.open(tenantId, connectionId, model, params);
  const upsert = opened.model.upsert;
  if (!upsert) throw new HubError('bad_request', `model ${model} is read-only`);
  const out: UpsertResult[] = [];
  for (let i = 0; i < inputs.length; i += opened.model.batchLimit) {
    out.push(...(await guarded(() => upsert.call(opened.model, opened.ctx, inputs.slice(i, i + opened.model.batchLimit)))));
  }
  return out;
}

export async function deleteRecords(runtime: ConnectorRuntime, tenantId: string, connectionId: string, model: string, ids: string[], params: Record<string, unknown> = {}): Promise<DeleteResult[]> {
  const opened = await runtime.open(tenantId, connectionId, model, params);
  const del = opened.model.delete;
  if (!del) throw new HubError('bad_request', `model ${model} cannot delete`);
  const out: DeleteResult[] = [];
  for (let i = 0; i < ids.length; i += opened.model.batchLimit) out.push(...(await guarded(() => del.call(opened.model, opened.ctx, ids.slice(i, i + opened.model.batchLimit)))));
  return out;
}
