import type { ProviderClient } from '../../http-client/index.ts';
import type { ConnectorContext } from '../types.ts';

/**
 * The sObject's fields from `/sobjects/{X}/describe`. An org's admins add
 * fields at will, so the field list is read, never hard-coded, and cached per
 * connection: in this process keyed by the connection's client, and in the
 * shared cache (when the context has one) for other workers.
 */
export interface FieldInfo {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
}

export interface SObjectInfo {
  name: string;
  /** The first three characters of every id of this object. */
  keyPrefix: string | null;
  fields: FieldInfo[];
}

const TTL_MS = 10 * 60_000;
// Compound and binary fields cannot be selected alongside their components in every API; their parts are.
const UNSELECTABLE = new Set(['address', 'location', 'base64']);

const local = new WeakMap<ProviderClient, Map<string, Promise<SObjectInfo>>>();

async function fetchDescribe(ctx: ConnectorContext, object: string): Promise<SObjectInfo> {
  const body = await ctx.client.json<{ name: string; keyPrefix?: string | null; fields: Array<Partial<FieldInfo> & { name: string; type: string }> }>({
    method: 'GET', path: `/sobjects/${encodeURIComponent(object)}/describe`, ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return {
    name: body.name,
    keyPrefix: body.keyPrefix ?? null,
    fields: body.fields.map((f) => ({ name: f.name, type: f.type, createable: f.createable === true, updateable: f.updateable === true, externalId: f.externalId === true })),
  };
}

export function describeObject(ctx: ConnectorContext, object: string): Promise<SObjectInfo> {
  let perClient = local.get(ctx.client);
  if (!perClient) local.set(ctx.client, (perClient = new Map()));
  const key = object.toLowerCase();
  const hit = perClient.get(key);
  if (hit) return hit;
  const load = ctx.cache
    ? ctx.cache.readThrough('connector.salesforce.describe', ctx.connection.tenantId, `${ctx.connection.id}:${key}`, TTL_MS, () => fetchDescribe(ctx, object))
    : fetchDescribe(ctx, object);
  const pending = load.catch((err: unknown) => {
    perClient.delete(key);
    throw err;
  });
  perClient.set(key, pending);
  return pending;
}

export function selectableFields(info: SObjectInfo): string[] {
  return info.fields.filter((f) => !UNSELECTABLE.has(f.type)).map((f) => f.name);
}

export function datetimeFields(info: SObjectInfo): Set<string> {
  return new Set(info.fields.filter((f) => f.type === 'datetime').map((f) => f.name));
}

export function fieldInfo(info: SObjectInfo, name: string): FieldInfo | undefined {
  const lower = name.toLowerCase();
  return info.fields.find((f) => f.name.toLowerCase() === lower);
}

/** Keeps only what the API would accept on this operation: read-only and system fields a listed record carries are dropped. */
export function writableFields(info: SObjectInfo, record: Record<string, unknown>, op: 'create' | 'update'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'id' || name === 'Id' || name === 'attributes') continue;
    const f = fieldInfo(info, name);
    if (f && !(op === 'create' ? f.createable : f.updateable)) continue;
    out[f?.name ?? name] = value;
  }
  return out;
}
