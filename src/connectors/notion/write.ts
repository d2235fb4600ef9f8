import { ProviderError } from '../../http-client/index.ts';
import type { ConnectorContext, DeleteResult, UpsertInput, UpsertResult } from '../types.ts';
import { dataSourceOf, type DataSource } from './data-source.ts';
import type { RawPage } from './normalise.ts';
import { equalsFilter, toPropertyValue } from './property-values.ts';

/**
 * Notion has no batch endpoint: each record is one create (`POST
 * /v1/pages`) or update (`PATCH /v1/pages/{id}`), sent one after another so
 * the per-connection rate limit is spent evenly. Deleting moves the page to
 * the trash (`in_trash: true`), which is all the API can do.
 */
export const BATCH_LIMIT = 1;

function failure(err: unknown): { ok: false; error: string; retryable: boolean } {
  if (err instanceof ProviderError) {
    const body = (() => {
      try {
        return err.response?.json<{ message?: string }>()?.message;
      } catch {
        return undefined;
      }
    })();
    return { ok: false, error: body ? `${err.message}: ${body}` : err.message, retryable: err.status === 0 || err.status === 429 || err.status >= 500 };
  }
  return { ok: false, error: err instanceof Error ? err.message : String(err), retryable: false };
}

/** Accepts the normalised shape (`{ properties: {...} }`) or a flat map of property names. */
function valuesOf(record: Record<string, unknown>): Record<string, unknown> {
  const nested = record.properties;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) return nested as Record<string, unknown>;
  const { id: _id, url: _url, createdAt: _c, updatedAt: _u, inTrash: _t, ...rest } = record;
  return rest;
}

function propertiesFor(ds: DataSource, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const schema = ds.properties[name];
    if (!schema) throw new Error(`notion pages: the database has no property named ${name}`);
    out[name] = toPropertyValue(schema, value);
  }
  return out;
}

async function findByField(ctx: ConnectorContext, ds: DataSource, field: string, value: unknown): Promise<string | undefined> {
  const name = field.replace(/^properties\./, '');
  const schema = ds.properties[name];
  if (!schema) throw new Error(`notion pages: cannot match on ${field}: no such property`);
  const res = await ctx.client.json<{ results: RawPage[] }>({
    method: 'POST', path: ds.queryPath, idempotent: true, signal: ctx.signal, body: { page_size: 1, filter: equalsFilter(schema, value) },
  });
  return res.results[0]?.id;
}

async function upsertOne(ctx: ConnectorContext, ds: DataSource, input: UpsertInput): Promise<UpsertResult> {
  const values = valuesOf(input.record);
  const properties = propertiesFor(ds, values);
  let id = input.id;
  if (!id && input.matchField) {
    const value = values[input.matchField.replace(/^properties\./, '')];
    if (value === undefined || value === null || value === '') throw new Error(`notion pages: matchField ${input.matchField} has no value`);
    id = await findByField(ctx, ds, input.matchField, value);
  }
  if (id) {
    const page = await ctx.client.json<RawPage>({ method: 'PATCH', path: `/v1/pages/${encodeURIComponent(id)}`, idempotent: true, signal: ctx.signal, body: { properties } });
    return { ok: true, id: page.id, created: false, modifiedAt: Date.parse(page.last_edited_time) };
  }
  const parent = ds.dataSourceId ? { type: 'data_source_id', data_source_id: ds.dataSourceId } : { type: 'database_id', database_id: ds.databaseId };
  const page = await ctx.client.json<RawPage>({ method: 'POST', path: '/v1/pages', signal: ctx.signal, body: { parent, properties } });
  return { ok: true, id: page.id, created: true, modifiedAt: Date.parse(page.last_edited_time) };
}

/** Generic over the record type: callers send the normalised shape or a flat property map. */
export async function upsertPages<T extends object>(ctx: ConnectorContext, inputs: UpsertInput<T>[]): Promise<UpsertResult[]> {
  const ds = await dataSourceOf(ctx);
  const results: UpsertResult[] = [];
  for (const input of inputs) {
    try {
      results.push(await upsertOne(ctx, ds, input as UpsertInput));
    } catch (err) {
      results.push(failure(err));
    }
  }
  return results;
}

export async function trashPages(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]> {
  const results: DeleteResult[] = [];
  for (const id of ids) {
    try {
      await ctx.client.json({ method: 'PATCH', path: `/v1/pages/${encodeURIComponent(id)}`, idempotent: true, signal: ctx.signal, body: { in_trash: true } });
      results.push({ id, ok: true });
    } catch (err) {
      // Already gone (404) counts as deleted; trashing twice is harmless in Notion too.
      if (err instanceof ProviderError && err.status === 404) results.push({ id, ok: true });
      else results.push({ id, ...failure(err) });
    }
  }
  return results;
}
