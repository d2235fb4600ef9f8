import { ProviderError } from '../../http-client/index.ts';
import type { ChangePage, ConnectorContext, DeleteResult, ListOptions, ModelSpec, RecordChange, UpsertInput, UpsertResult } from '../types.ts';
import { blocksOf, blockSchema, type Block } from './blocks.ts';
import { failure, getOne, getPage, gmt } from './rest.ts';

/**
 * Posts, pages and custom post types share WordPress's posts controller,
 * so one model factory serves them, keyed by the REST base (`posts`,
 * `pages`, `books`). Reads use `context=edit` for the raw Gutenberg markup
 * and `status=any` so drafts and scheduled posts sync too (trash excluded).
 *
 * Incremental reads ask `modified_after` (exclusive, whole seconds) one
 * second before the watermark, ordered by `modified` ascending: an edit in
 * the same second as the newest one already read is not lost, and the
 * repeats are skipped by the engine's hash check. A post edited while a
 * read pages through moves to the end of the order and may shift one other
 * post across a page boundary; the next run's overlap reads it then.
 */
export interface RawPost {
  id: number; type: string; status: string; slug: string; link: string; author: number; parent?: number;
  date_gmt: string; modified_gmt: string; featured_media?: number; menu_order?: number;
  categories?: number[]; tags?: number[];
  title: { raw?: string; rendered: string }; content: { raw?: string; rendered: string }; excerpt?: { raw?: string; rendered: string };
}

export interface PostRecord {
  id: string; type: string; status: string; slug: string; link: string; author: string; parent: string | null;
  title: string; content: string; excerpt: string; date: string; modified: string;
  categories: string[]; tags: string[]; featuredMedia: string | null; blocks: Block[];
}

export function toPost(p: RawPost): PostRecord {
  const content = p.content.raw ?? p.content.rendered;
  return {
    id: String(p.id), type: p.type, status: p.status, slug: p.slug, link: p.link, author: String(p.author), parent: p.parent ? String(p.parent) : null,
    title: p.title.raw ?? p.title.rendered, content, excerpt: p.excerpt?.raw ?? p.excerpt?.rendered ?? '',
    date: gmt(p.date_gmt), modified: gmt(p.modified_gmt),
    categories: (p.categories ?? []).map(String), tags: (p.tags ?? []).map(String),
    featuredMedia: p.featured_media ? String(p.featured_media) : null, blocks: blocksOf(content),
  };
}

const toChange = (p: RawPost): RecordChange<PostRecord> => ({ id: String(p.id), record: toPost(p), modifiedAt: Date.parse(gmt(p.modified_gmt)) });

/** Which REST base a model instance reads: fixed, or from params (`type` = rest base, or `postType` = slug looked up in /wp/v2/types). */
export type BaseOf = (ctx: ConnectorContext) => Promise<string>;

export const customBase: BaseOf = async (ctx) => {
  const { type, postType } = ctx.params as { type?: unknown; postType?: unknown };
  if (typeof type === 'string' && /^[a-z0-9_-]+$/i.test(type)) return type;
  if (typeof postType !== 'string') throw new Error('wordpress items: params.type (the REST base, e.g. books) is required');
  const types = await ctx.client.json<Record<string, { rest_base?: string }>>({ method: 'GET', path: '/wp/v2/types', signal: ctx.signal });
  const base = types[postType]?.rest_base;
  if (!base) throw new Error(`wordpress items: the site has no post type ${postType}`);
  return base;
};

interface Cursor { page: number; newest: string | null }
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;

async function list(ctx: ConnectorContext, base: string, opts: ListOptions): Promise<ChangePage<PostRecord>> {
  const cursor = opts.cursor ? decode(opts.cursor) : { page: 1, newest: null };
  const since = opts.since ?? null;
  const after = since ? new Date(Date.parse(since) - 1000).toISOString() : undefined;
  const res = await getPage<RawPost>(ctx, `/wp/v2/${base}`, {
    context: 'edit', status: 'any', orderby: since ? 'modified' : 'id', order: 'asc', modified_after: after,
  }, cursor.page, opts.pageSize ?? 100);
  const records = res.items.map(toChange);
  let newest = cursor.newest ?? since;
  for (const r of records) if (!newest || r.record.modified > newest) newest = r.record.modified;
  if (cursor.page < res.totalPages) return { records, deletedIds: [], nextCursor: encode({ page: cursor.page + 1, newest }) };
  return { records, deletedIds: [], nextCursor: null, watermark: newest };
}

const WRITABLE: Record<string, string> = {
  title: 'title', content: 'content', excerpt: 'excerpt', status: 'status', slug: 'slug', author: 'author', parent: 'parent',
  categories: 'categories', tags: 'tags', featuredMedia: 'featured_media', menuOrder: 'menu_order', date: 'date_gmt', password: 'password',
};
const NUMERIC = new Set(['author', 'parent', 'featured_media', 'menu_order']);

function bodyOf(record: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(WRITABLE)) {
    const v = record[from];
    if (v === undefined) continue;
    if (to === 'categories' || to === 'tags') body[to] = (Array.isArray(v) ? v : [v]).map(Number);
    else if (NUMERIC.has(to)) body[to] = v === null ? 0 : Number(v);
    else body[to] = v;
  }
  return body;
}

async function upsert(ctx: ConnectorContext, base: string, inputs: UpsertInput[]): Promise<UpsertResult[]> {
  const out: UpsertResult[] = [];
  for (const input of inputs) {
    try {
      let id = input.id;
      if (!id && input.matchField) {
        if (input.matchField !== 'slug') throw new Error(`wordpress ${base}: cannot match on ${input.matchField} (supported: slug)`);
        const found = await getPage<RawPost>(ctx, `/wp/v2/${base}`, { slug: String(input.record.slug ?? ''), status: 'any', context: 'edit' }, 1, 1);
        id = found.items[0] ? String(found.items[0].id) : undefined;
      }
      const body = bodyOf(input.record);
      const p = id
        ? await ctx.client.json<RawPost>({ method: 'POST', path: `/wp/v2/${base}/${encodeURIComponent(id)}`, body, idempotent: true, signal: ctx.signal })
        : await ctx.client.json<RawPost>({ method: 'POST', path: `/wp/v2/${base}`, body, signal: ctx.signal });
      out.push({ ok: true, id: String(p.id), created: !id, modifiedAt: Date.parse(gmt(p.modified_gmt)) });
    } catch (err) {
      out.push(failure(err));
    }
  }
  return out;
}

/** Trash by default (WordPress's own default, reversible); `params.force: true` deletes for good. */
async function remove(ctx: ConnectorContext, base: string, ids: string[]): Promise<DeleteResult[]> {
  const force = (ctx.params as { force?: unknown }).force === true;
  const out: DeleteResult[] = [];
  for (const id of ids) {
    try {
      await ctx.client.json({ method: 'DELETE', path: `/wp/v2/${base}/${encodeURIComponent(id)}`, query: force ? { force: 'true' } : {}, signal: ctx.signal });
      out.push({ id, ok: true });
    } catch (err) {
      // 410 rest_already_trashed and 404 are the state asked for.
      if (err instanceof ProviderError && (err.status === 410 || err.status === 404)) out.push({ id, ok: true });
      else out.push({ id, ...failure(err) });
    }
  }
  return out;
}

export const postSchema = (title: string) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title,
  type: 'object',
  $defs: { block: blockSchema },
  required: ['id', 'type', 'status', 'title', 'content', 'modified', 'blocks'],
  properties: {
    id: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' }, slug: { type: 'string' }, link: { type: 'string' },
    author: { type: 'string', description: 'user id' }, parent: { type: ['string', 'null'] },
    title: { type: 'string', description: 'title.raw' }, content: { type: 'string', description: 'content.raw (Gutenberg markup)' }, excerpt: { type: 'string' },
    date: { type: 'string', format: 'date-time' }, modified: { type: 'string', format: 'date-time' },
    categories: { type: 'array', items: { type: 'string' } }, tags: { type: 'array', items: { type: 'string' } },
    featuredMedia: { type: ['string', 'null'] },
    blocks: { type: 'array', items: { $ref: '#/$defs/block' }, description: 'content.raw parsed by @wordpress/block-serialization-default-parser' },
  },
});

export function postTypeModel(name: string, description: string, baseOf: BaseOf): ModelSpec<PostRecord> {
  return {
    name,
    description,
    schema: postSchema(`WordPress ${name}`),
    // The fake has no /batch/v1; see docs/connectors/wordpress.md.
    batchLimit: 1,
    incremental: true,
    matchFields: ['slug'],
    list: async (ctx, opts) => list(ctx, await baseOf(ctx), opts),
    get: async (ctx, id) => {
      const p = await getOne<RawPost>(ctx, `/wp/v2/${await baseOf(ctx)}/${encodeURIComponent(id)}`, { context: 'edit' });
      return p ? toChange(p) : undefined;
    },
    upsert: async (ctx, inputs) => upsert(ctx, await baseOf(ctx), inputs as unknown as UpsertInput[]),
    delete: async (ctx, ids) => remove(ctx, await baseOf(ctx), ids),
  };
}
