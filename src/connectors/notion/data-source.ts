import type { ConnectorContext } from '../types.ts';

/**
 * Where a database's pages live. From Notion-Version 2025-09-03 a database
 * holds data sources and queries go to `/v1/data_sources/{id}/query`; an
 * older version answers the database with its `properties` and is queried
 * at `/v1/databases/{id}/query`. The catalog pins the version, so this
 * follows whichever shape the answer has rather than a version string.
 */
export interface PropertySchema { id: string; name: string; type: string }

export interface DataSource {
  databaseId: string;
  /** Absent on pre-2025-09-03 versions. */
  dataSourceId?: string;
  queryPath: string;
  /** Property schema by name. */
  properties: Record<string, PropertySchema>;
}

const SCHEMA_TTL_MS = 60_000;

export function databaseIdOf(ctx: ConnectorContext): string {
  const id = (ctx.params as { databaseId?: unknown }).databaseId;
  if (typeof id !== 'string' || id === '') throw new Error('notion pages: params.databaseId is required');
  return id;
}

/** Where queries go: one GET of the database (the schema is not needed to read). */
export async function queryTargetOf(ctx: ConnectorContext): Promise<{ queryPath: string; dataSourceId?: string; properties?: Record<string, PropertySchema> }> {
  const databaseId = databaseIdOf(ctx);
  const db = await ctx.client.json<{ data_sources?: Array<{ id: string }>; properties?: Record<string, PropertySchema> }>({
    method: 'GET', path: `/v1/databases/${encodeURIComponent(databaseId)}`, signal: ctx.signal,
  });
  const first = db.data_sources?.[0];
  // One database may hold several data sources; this model reads the first, which is the only one a plain database has.
  if (first) return { queryPath: `/v1/data_sources/${encodeURIComponent(first.id)}/query`, dataSourceId: first.id };
  return { queryPath: `/v1/databases/${encodeURIComponent(databaseId)}/query`, properties: db.properties ?? {} };
}

async function load(ctx: ConnectorContext, databaseId: string): Promise<DataSource> {
  const target = await queryTargetOf(ctx);
  if (!target.dataSourceId) return { databaseId, queryPath: target.queryPath, properties: target.properties ?? {} };
  const ds = await ctx.client.json<{ properties?: Record<string, PropertySchema> }>({
    method: 'GET', path: `/v1/data_sources/${encodeURIComponent(target.dataSourceId)}`, signal: ctx.signal,
  });
  return { databaseId, dataSourceId: target.dataSourceId, queryPath: target.queryPath, properties: ds.properties ?? {} };
}

/** The data source and its schema (for writes), cached for a minute when the hub gives a cache (a schema change shows within that). */
export function dataSourceOf(ctx: ConnectorContext): Promise<DataSource> {
  const databaseId = databaseIdOf(ctx);
  if (!ctx.cache) return load(ctx, databaseId);
  return ctx.cache.readThrough('notion-schema', ctx.connection.tenantId, `${ctx.connection.id}:${databaseId}`, SCHEMA_TTL_MS, () => load(ctx, databaseId));
}
