import type { ConnectorContext, DeleteResult, UpsertInput, UpsertResult } from '../types.ts';
import { bulkIngest, bulkOptions } from './bulk.ts';
import { describeObject, fieldInfo, writableFields, type SObjectInfo } from './describe.ts';
import { requestFailure, toDeleteResult, toUpsertResult, type SaveResult } from './save-results.ts';
import { lookupQuery } from './soql.ts';

/**
 * Writes through sObject Collections (200 records a call, allOrNone=false
 * so each record gets its own SaveResult), or through Bulk API 2.0 when one
 * operation has more records than `params.bulkThreshold` (default 2,000).
 *
 * `matchField` works for any filterable field, external id or not: one SOQL
 * lookup per 100 distinct values finds the existing records, which are then
 * updated, and the rest are created. Unlike Salesforce's native upsert by
 * external id this is two steps, so two writers racing on the same new value
 * can both create; a value that already matches several records fails that
 * input rather than picking one.
 */
export const COLLECTION_LIMIT = 200;
const LOOKUP_CHUNK = 100;
const DEFAULT_BULK_THRESHOLD = 2000;

type Planned = { kind: 'create'; index: number; fields: Record<string, unknown> } | { kind: 'update'; index: number; id: string; fields: Record<string, unknown> };

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const signalOf = (ctx: ConnectorContext) => (ctx.signal ? { signal: ctx.signal } : {});

export async function upsertRecords(ctx: ConnectorContext, object: string, inputs: UpsertInput[]): Promise<UpsertResult[]> {
  const info = await describeObject(ctx, object);
  const results: UpsertResult[] = new Array(inputs.length);
  const matches = await lookupMatches(ctx, info, inputs, results);
  const plan: Planned[] = [];
  inputs.forEach((input, index) => {
    if (results[index]) return;
    const id = input.id ?? matches.get(index);
    plan.push(id
      ? { kind: 'update', index, id, fields: writableFields(info, input.record, 'update') }
      : { kind: 'create', index, fields: writableFields(info, input.record, 'create') });
  });
  const threshold = typeof ctx.params.bulkThreshold === 'number' ? ctx.params.bulkThreshold : DEFAULT_BULK_THRESHOLD;
  const creates = plan.filter((p) => p.kind === 'create');
  const updates = plan.filter((p): p is Extract<Planned, { kind: 'update' }> => p.kind === 'update');

  if (creates.length > threshold) {
    const out = await bulkOrFail(ctx, info.name, 'insert', creates.map((p) => p.fields));
    creates.forEach((p, i) => (results[p.index] = out[i]!));
  } else {
    for (const batch of chunks(creates, COLLECTION_LIMIT)) {
      const records = batch.map((p) => ({ attributes: { type: info.name }, ...p.fields }));
      await saveBatch(ctx, 'POST', records, false, batch.map((p) => p.index), true, results);
    }
  }
  if (updates.length > threshold) {
    const out = await bulkOrFail(ctx, info.name, 'update', updates.map((p) => ({ Id: p.id, ...p.fields })));
    updates.forEach((p, i) => (results[p.index] = out[i]!));
  } else {
    for (const batch of chunks(updates, COLLECTION_LIMIT)) {
      const records = batch.map((p) => ({ attributes: { type: info.name }, id: p.id, ...p.fields }));
      // An update by id lands the same way twice, so it may be retried.
      await saveBatch(ctx, 'PATCH', records, true, batch.map((p) => p.index), false, results);
    }
  }
  return results;
}

async function bulkOrFail(ctx: ConnectorContext, object: string, op: 'insert' | 'update', rows: Record<string, unknown>[]): Promise<UpsertResult[]> {
  try {
    return await bulkIngest(ctx, object, op, rows, bulkOptions(ctx.params));
  } catch (err) {
    const failure = requestFailure(err);
    return rows.map(() => failure);
  }
}

async function saveBatch(ctx: ConnectorContext, method: 'POST' | 'PATCH', records: Record<string, unknown>[], idempotent: boolean, indexes: number[], created: boolean, results: UpsertResult[]): Promise<void> {
  try {
    const saved = await ctx.client.json<SaveResult[]>({ method, path: '/composite/sobjects', body: { allOrNone: false, records }, idempotent, ...signalOf(ctx) });
    indexes.forEach((index, i) => (results[index] = toUpsertResult(saved[i], created)));
  } catch (err) {
    const failure = requestFailure(err);
    for (const index of indexes) results[index] = failure;
  }
}

/** Input index → id of the one existing record whose matchField equals the input's value. Fills `results` for inputs that cannot be matched. */
async function lookupMatches(ctx: ConnectorContext, info: SObjectInfo, inputs: UpsertInput[], results: UpsertResult[]): Promise<Map<number, string>> {
  const byField = new Map<string, Map<string, { value: unknown; indexes: number[] }>>();
  inputs.forEach((input, index) => {
    if (input.id || !input.matchField) return;
    const field = fieldInfo(info, input.matchField);
    if (!field) {
      results[index] = { ok: false, error: `matchField ${input.matchField} is not a field of ${info.name}`, retryable: false };
      return;
    }
    const value = input.record[field.name] ?? input.record[input.matchField];
    // An empty value matches nothing sensible: create.
    if (value === null || value === undefined || value === '') return;
    const values = byField.get(field.name) ?? new Map<string, { value: unknown; indexes: number[] }>();
    const key = String(value).toLowerCase();
    const entry = values.get(key) ?? { value, indexes: [] };
    entry.indexes.push(index);
    values.set(key, entry);
    byField.set(field.name, values);
  });

  const matches = new Map<number, string>();
  for (const [field, values] of byField) {
    for (const keys of chunks([...values.keys()], LOOKUP_CHUNK)) {
      const found = new Map<string, string[]>();
      try {
        const originals = keys.map((k) => values.get(k)!.value);
        for await (const row of ctx.client.items<Record<string, unknown>>({ method: 'GET', path: '/query', query: { q: lookupQuery(info.name, field, originals) }, ...signalOf(ctx) }, { pagination: { preset: 'next-url' } })) {
          // SOQL compares text case-insensitively; so does the match.
          const key = String(row[field]).toLowerCase();
          found.set(key, [...(found.get(key) ?? []), String(row.Id)]);
        }
      } catch (err) {
        const failure = requestFailure(err);
        for (const k of keys) for (const index of values.get(k)!.indexes) results[index] = failure;
        continue;
      }
      for (const k of keys) {
        const ids = found.get(k) ?? [];
        for (const index of values.get(k)!.indexes) {
          if (ids.length > 1) results[index] = { ok: false, error: `${field} = ${k} matches ${ids.length} ${info.name} records`, retryable: false };
          else if (ids.length === 1) matches.set(index, ids[0]!);
        }
      }
    }
  }
  return matches;
}

/**
 * A collections delete takes ids of any type, so an id of another object is
 * refused here (by its key prefix) instead of deleting a record the caller
 * did not mean through this model.
 */
export async function deleteRecords(ctx: ConnectorContext, object: string, ids: string[]): Promise<DeleteResult[]> {
  const info = await describeObject(ctx, object);
  const results = new Map<string, DeleteResult>();
  const wrong = (id: string) => info.keyPrefix !== null && !id.startsWith(info.keyPrefix);
  for (const id of ids) if (wrong(id)) results.set(id, { id, ok: false, error: `${id} is not a ${info.name} id (prefix ${info.keyPrefix})`, retryable: false });
  for (const batch of chunks([...new Set(ids.filter((id) => !wrong(id)))], COLLECTION_LIMIT)) {
    try {
      const saved = await ctx.client.json<SaveResult[]>({ method: 'DELETE', path: '/composite/sobjects', query: { ids: batch.join(','), allOrNone: false }, ...signalOf(ctx) });
      batch.forEach((id, i) => results.set(id, toDeleteResult(id, saved[i])));
    } catch (err) {
      const failure = requestFailure(err);
      for (const id of batch) results.set(id, { id, ...failure });
    }
  }
  return ids.map((id) => results.get(id)!);
}
