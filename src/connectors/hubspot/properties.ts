import type { ProviderClient } from '../../http-client/index.ts';
import type { ConnectorContext } from '../types.ts';
import type { HubSpotObject } from './object-types.ts';

/**
 * Property names per object type, from `GET /crm/v3/properties/{type}`, so a
 * list asks for every property (HubSpot returns only a default handful
 * otherwise) and records carry custom fields. The list is cached per
 * connection: in `ctx.cache` when the host gives one (shared across
 * workers), else in this module per client. A portal admin adding a property
 * shows up within the TTL.
 */
export const PROPERTIES_TTL_MS = 10 * 60_000;
const NAMESPACE = 'hubspot-properties';

interface Definition {
  name: string;
  archived?: boolean;
  calculated?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
}

export interface PropertyList {
  /** Every live property, sorted. */
  names: string[];
  /** Properties HubSpot maintains itself; a write naming one is refused, so writes drop them. */
  readOnly: string[];
}

const local = new WeakMap<ProviderClient, Map<HubSpotObject, { list: PropertyList; at: number }>>();

async function fetchList(ctx: ConnectorContext, type: HubSpotObject): Promise<PropertyList> {
  const body = await ctx.client.json<{ results: Definition[] }>({ method: 'GET', path: `/crm/v3/properties/${type}`, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const live = body.results.filter((d) => d.archived !== true);
  return {
    names: live.map((d) => d.name).sort(),
    readOnly: live.filter((d) => d.calculated === true || d.modificationMetadata?.readOnlyValue === true).map((d) => d.name).sort(),
  };
}

export async function propertyList(ctx: ConnectorContext, type: HubSpotObject): Promise<PropertyList> {
  if (ctx.cache) {
    return ctx.cache.readThrough(NAMESPACE, ctx.connection.tenantId, `${ctx.connection.id}:${type}`, PROPERTIES_TTL_MS, () => fetchList(ctx, type));
  }
  const byType = local.get(ctx.client) ?? new Map<HubSpotObject, { list: PropertyList; at: number }>();
  local.set(ctx.client, byType);
  const hit = byType.get(type);
  if (hit && Date.now() - hit.at < PROPERTIES_TTL_MS) return hit.list;
  const list = await fetchList(ctx, type);
  byType.set(type, { list, at: Date.now() });
  return list;
}

export async function propertyNames(ctx: ConnectorContext, type: HubSpotObject): Promise<string[]> {
  return (await propertyList(ctx, type)).names;
}

/** Drops the cached list (after a write named a property the list did not know). */
export async function forgetProperties(ctx: ConnectorContext, type: HubSpotObject): Promise<void> {
  if (ctx.cache) await ctx.cache.delete(NAMESPACE, ctx.connection.tenantId, `${ctx.connection.id}:${type}`);
  local.get(ctx.client)?.delete(type);
}
