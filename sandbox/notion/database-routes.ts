import type { FastifyInstance } from 'fastify';
import { notFound } from './errors.ts';
import { versionOf } from './guard.ts';
import type { NotionCtx } from './knobs.ts';
import { schemaOf } from './properties.ts';
import { pageObject, runQuery, type QueryBody } from './query.ts';
import type { Database, DataSource } from './store.ts';

/**
 * Databases and data sources. From API 2025-09-03 a database lists its data
 * sources and queries go to `/v1/data_sources/{id}/query`; older versions
 * query `/v1/databases/{id}/query` and see the schema on the database. Both
 * routes are served whatever the version header says.
 */
export function canonicalId(raw: string): string {
  const hex = raw.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return raw;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const titleText = (text: string) => [{
  type: 'text', text: { content: text, link: null },
  annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' },
  plain_text: text, href: null,
}];

function databaseObject(ctx: NotionCtx, db: Database, version: string): Record<string, unknown> {
  const ds = ctx.state.dataSources.get(db.dataSourceId)!;
  const base = {
    object: 'database', id: db.id, title: titleText(db.title), description: [], icon: null, cover: null,
    parent: { type: 'page_id', page_id: db.parentPageId }, is_inline: false, in_trash: db.inTrash, archived: db.inTrash, is_locked: false,
    created_time: db.createdTime, last_edited_time: db.lastEditedTime,
    created_by: { object: 'user', id: ctx.state.botId }, last_edited_by: { object: 'user', id: ctx.state.botId },
    url: `${ctx.baseUrl()}/${db.id.replace(/-/g, '')}`, public_url: null,
  };
  return version >= '2025-09-03'
    ? { ...base, data_sources: [{ id: ds.id, name: ds.name }] }
    : { ...base, properties: schemaOf(ds) };
}

function dataSourceObject(ctx: NotionCtx, ds: DataSource): Record<string, unknown> {
  const db = ctx.state.databases.get(ds.databaseId)!;
  return {
    object: 'data_source', id: ds.id, title: titleText(ds.name), description: [], icon: null, cover: null,
    parent: { type: 'database_id', database_id: db.id }, database_parent: { type: 'page_id', page_id: db.parentPageId },
    properties: schemaOf(ds), is_inline: false, in_trash: db.inTrash, archived: db.inTrash,
    created_time: db.createdTime, last_edited_time: db.lastEditedTime,
    url: `${ctx.baseUrl()}/${db.id.replace(/-/g, '')}`, public_url: null,
  };
}

export function databaseOf(ctx: NotionCtx, id: string): Database {
  const db = ctx.state.databases.get(canonicalId(id));
  if (!db) throw notFound('database', id);
  return db;
}

export function dataSourceOf(ctx: NotionCtx, id: string): DataSource {
  const ds = ctx.state.dataSources.get(canonicalId(id));
  if (!ds) throw notFound('data source', id);
  return ds;
}

function listOf(ctx: NotionCtx, ds: DataSource, body: QueryBody, version: string, kind: 'page_or_database' | 'page_or_data_source') {
  const { results, nextCursor } = runQuery(ctx.state, ds, body);
  const malformed = ctx.takeMalformed();
  const list = {
    object: 'list', results: results.map((p) => pageObject(ctx.state, p, ctx.baseUrl(), version)),
    next_cursor: nextCursor, has_more: nextCursor !== null, type: kind, [kind]: {},
  };
  return malformed ? JSON.stringify(list).slice(0, 40) : list;
}

export function registerDatabaseRoutes(app: FastifyInstance, ctx: NotionCtx): void {
  app.get('/v1/databases/:id', async (req) => {
    const db = databaseOf(ctx, (req.params as { id: string }).id);
    return databaseObject(ctx, db, versionOf(req.headers['notion-version']));
  });

  app.post('/v1/databases/:id/query', async (req, reply) => {
    const db = databaseOf(ctx, (req.params as { id: string }).id);
    const out = listOf(ctx, ctx.state.dataSources.get(db.dataSourceId)!, (req.body ?? {}) as QueryBody, versionOf(req.headers['notion-version']), 'page_or_database');
    return reply.type('application/json').send(out);
  });

  app.get('/v1/data_sources/:id', async (req) => dataSourceObject(ctx, dataSourceOf(ctx, (req.params as { id: string }).id)));

  app.post('/v1/data_sources/:id/query', async (req, reply) => {
    const ds = dataSourceOf(ctx, (req.params as { id: string }).id);
    const out = listOf(ctx, ds, (req.body ?? {}) as QueryBody, versionOf(req.headers['notion-version']), 'page_or_data_source');
    return reply.type('application/json').send(out);
  });
}
