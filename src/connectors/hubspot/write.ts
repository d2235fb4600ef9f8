import { ProviderError } from '../../http-client/index.ts';
import type { ConnectorContext, DeleteResult, UpsertInput, UpsertResult } from '../types.ts';
import { withSignal } from './fetch.ts';
import { modifiedAtOf, type HubSpotRecord, type RawObject } from './normalise.ts';
import { BATCH_LIMIT, type ObjectInfo } from './object-types.ts';
import { forgetProperties, propertyList } from './properties.ts';

/**
 * Writes through the batch endpoints, 100 inputs a request: `batch/update`
 * for inputs with an id, `batch/upsert` with `idProperty: email` for contacts
 * matched by email (one request, HubSpot decides create or update, safe to
 * repeat), `batch/create` for the rest. HubSpot validates a batch whole, so
 * one bad input fails its batch with a 4xx; that batch is then split in
 * halves and re-sent until only the bad inputs fail. Results of create and upsert
 * are matched back by email where there is one, else by position.
 */
type Action = 'create' | 'update' | 'upsert';

interface Entry {
  index: number;
  properties: Record<string, string>;
  /** The record id (update) or the match value (upsert). */
  key?: string;
}

const ENVELOPE = new Set(['id', 'createdAt', 'updatedAt', 'archived']);
const ALWAYS_READ_ONLY = ['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate'];

/** Accepts the normalised shape (`{ properties }`) or a flat object of properties. */
function propertiesOf(record: Partial<HubSpotRecord> | Record<string, unknown>, readOnly: Set<string>): Record<string, string> {
  const source = record.properties && typeof record.properties === 'object'
    ? record.properties as Record<string, unknown>
    : Object.fromEntries(Object.entries(record).filter(([k]) => !ENVELOPE.has(k)));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (readOnly.has(k) || v === undefined) continue;
    // HubSpot clears a property written as the empty string.
    out[k] = v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

const failure = (error: string, retryable: boolean): UpsertResult => ({ ok: false, error, retryable });

export async function upsertObjects(info: ObjectInfo, ctx: ConnectorContext, inputs: UpsertInput<HubSpotRecord>[]): Promise<UpsertResult[]> {
  const props = await propertyList(ctx, info.name);
  const readOnly = new Set([...ALWAYS_READ_ONLY, ...props.readOnly]);
  const results: UpsertResult[] = new Array(inputs.length);
  const groups: Record<Action, Entry[]> = { create: [], update: [], upsert: [] };
  inputs.forEach((input, index) => {
    const properties = propertiesOf(input.record ?? {}, readOnly);
    if (input.id) return groups.update.push({ index, properties, key: String(input.id) });
    if (!input.matchField) return groups.create.push({ index, properties });
    const field = input.matchField.replace(/^properties\./, '');
    if (!info.matchFields.includes(field)) return (results[index] = failure(`hubspot ${info.name}: cannot match on ${input.matchField} (supported: ${info.matchFields.join(', ') || 'none'})`, false));
    const value = properties[field]?.trim();
    if (!value) return (results[index] = failure(`hubspot ${info.name}: matchField ${field} has no value`, false));
    return groups.upsert.push({ index, properties: { ...properties, [field]: value }, key: value });
  });
  for (const action of ['update', 'upsert', 'create'] as const) {
    for (const batch of batchesOf(groups[action], action !== 'create')) {
      for (const [index, result] of await sendBatch(info, ctx, action, batch)) results[index] = result;
    }
  }
  return results;
}

/** Batches of at most 100 in which no key repeats (HubSpot refuses a batch naming one record twice). */
function batchesOf(entries: Entry[], keyed: boolean): Entry[][] {
  const batches: { entries: Entry[]; keys: Set<string> }[] = [];
  for (const entry of entries) {
    const key = keyed ? entry.key?.toLowerCase() : undefined;
    let target = batches.find((b) => b.entries.length < BATCH_LIMIT && (key === undefined || !b.keys.has(key)));
    if (!target) batches.push((target = { entries: [], keys: new Set() }));
    target.entries.push(entry);
    if (key !== undefined) target.keys.add(key);
  }
  return batches.map((b) => b.entries);
}

function inputOf(action: Action, e: Entry): Record<string, unknown> {
  if (action === 'update') return { id: e.key, properties: e.properties };
  if (action === 'upsert') return { id: e.key, idProperty: 'email', properties: e.properties };
  return { properties: e.properties };
}

interface BatchBody {
  results?: (RawObject & { new?: boolean })[];
  errors?: { category?: string; message?: string; context?: { ids?: string[] } }[];
  category?: string;
  message?: string;
}

async function sendBatch(info: ObjectInfo, ctx: ConnectorContext, action: Action, batch: Entry[]): Promise<[number, UpsertResult][]> {
  const path = `/crm/v3/objects/${info.name}/batch/${action}`;
  let status: number;
  let body: BatchBody;
  try {
    // Setting values (update, upsert by key) can be repeated safely; a create cannot.
    const res = await ctx.client.request(withSignal(ctx, { method: 'POST', path, body: { inputs: batch.map((e) => inputOf(action, e)) }, idempotent: action !== 'create' }));
    status = res.status;
    body = (res.body.length > 0 ? res.json<BatchBody>() : {}) ?? {};
  } catch (err) {
    const why = err instanceof ProviderError ? err.message : `hubspot ${path}: ${(err as Error).message}`;
    return batch.map((e) => [e.index, failure(why, true)]);
  }
  if (status >= 200 && status < 300) return matchResults(info, action, batch, body);
  const why = `hubspot ${path}: HTTP ${status}${body.category ? ` ${body.category}` : ''}${body.message ? `: ${body.message.slice(0, 500)}` : ''}`;
  if (body.message?.includes('PROPERTY_DOESNT_EXIST')) await forgetProperties(ctx, info.name);
  const retryable = status === 429 || status === 423 || status >= 500;
  if (retryable || batch.length === 1) return batch.map((e) => [e.index, failure(why, retryable)]);
  // Halving finds k bad inputs in about k·log2(n) requests instead of n.
  const mid = Math.ceil(batch.length / 2);
  return [...(await sendBatch(info, ctx, action, batch.slice(0, mid))), ...(await sendBatch(info, ctx, action, batch.slice(mid)))];
}

function matchResults(info: ObjectInfo, action: Action, batch: Entry[], body: BatchBody): [number, UpsertResult][] {
  const results = body.results ?? [];
  const missing = new Set((body.errors ?? []).flatMap((e) => e.context?.ids ?? []).map(String));
  const emailOf = (r: { properties?: Record<string, string | null> }) => r.properties?.email?.toLowerCase();
  const byId = new Map(results.map((r) => [String(r.id), r]));
  const byEmail = new Map(results.filter((r) => emailOf(r)).map((r) => [emailOf(r) as string, r]));
  return batch.map((e, position) => {
    const email = e.properties.email?.toLowerCase();
    const raw = action === 'update' ? byId.get(e.key as string) : (email ? byEmail.get(email) : undefined) ?? results[position];
    if (!raw) {
      const why = missing.has(e.key ?? '') ? `hubspot ${info.name} ${e.key}: not found (OBJECT_NOT_FOUND)` : `hubspot ${info.name}: no result for input ${e.index}`;
      return [e.index, failure(why, false)];
    }
    const created = action === 'create' ? true : action === 'upsert' ? raw.new === true : false;
    return [e.index, { ok: true, id: String(raw.id), created, modifiedAt: modifiedAtOf(info, raw) }];
  });
}

export async function deleteObjects(info: ObjectInfo, ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]> {
  const out: DeleteResult[] = [];
  for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
    const chunk = ids.slice(i, i + BATCH_LIMIT);
    const path = `/crm/v3/objects/${info.name}/batch/archive`;
    try {
      // Archive answers 204 whether or not each id existed, so repeating it is harmless.
      const res = await ctx.client.request(withSignal(ctx, { method: 'POST', path, body: { inputs: chunk.map((id) => ({ id })) }, idempotent: true }));
      if (res.status >= 200 && res.status < 300) out.push(...chunk.map((id) => ({ id, ok: true as const })));
      else out.push(...chunk.map((id) => ({ id, ok: false as const, error: `hubspot ${path}: HTTP ${res.status}`, retryable: res.status === 429 || res.status >= 500 })));
    } catch (err) {
      out.push(...chunk.map((id) => ({ id, ok: false as const, error: (err as Error).message, retryable: true })));
    }
  }
  return out;
}
