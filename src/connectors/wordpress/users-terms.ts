import type { ConnectorContext, ModelSpec, UpsertInput } from '../types.ts';
import { collectionOps, type CollectionOps } from './collection.ts';
import { getPage, gmt } from './rest.ts';

/** Users and the two core taxonomies. Neither has a modified time, so reads are full. */
interface RawUser { id: number; username?: string; name: string; first_name?: string; last_name?: string; email?: string; roles?: string[]; slug: string; link: string; registered_date?: string }
export interface UserRecord { id: string; username: string | null; name: string; firstName: string | null; lastName: string | null; email: string | null; roles: string[]; slug: string; link: string; registeredAt: string | null }

interface RawTerm { id: number; name: string; slug: string; description: string; parent?: number; count: number; link: string; taxonomy: string }
export interface TermRecord { id: string; name: string; slug: string; description: string; parent: string | null; count: number; link: string; taxonomy: string }

const str = (v: unknown) => (v === undefined ? undefined : v === null ? '' : String(v));
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const users = collectionOps<RawUser, UserRecord>({
  base: 'users',
  toRecord: (u) => ({
    id: String(u.id), username: u.username ?? null, name: u.name, firstName: u.first_name ?? null, lastName: u.last_name ?? null,
    email: u.email ?? null, roles: u.roles ?? [], slug: u.slug, link: u.link, registeredAt: u.registered_date ? gmt(u.registered_date) : null,
  }),
  // Users carry no modified time: registration is the only stamp.
  modifiedAt: (r) => (r.registeredAt ? Date.parse(r.registeredAt) : 0),
  bodyOf: (r) => defined({
    username: str(r.username), email: str(r.email), name: str(r.name), first_name: str(r.firstName), last_name: str(r.lastName),
    roles: Array.isArray(r.roles) ? r.roles : undefined, password: str(r.password),
  }),
  find: async (ctx, field, value) => {
    if (field !== 'email' || typeof value !== 'string') throw new Error('wordpress users: matchField must be email');
    const res = await getPage<RawUser>(ctx, '/wp/v2/users', { search: value, context: 'edit' }, 1, 100);
    return res.items.find((u) => u.email?.toLowerCase() === value.toLowerCase())?.id.toString();
  },
  deleteQuery: (ctx) => {
    const reassign = (ctx.params as { reassign?: unknown }).reassign;
    // WordPress refuses to delete a user without someone to inherit their content.
    if (reassign === undefined) throw new Error('wordpress users: deleting needs params.reassign (the user id that inherits their content)');
    return { reassign: String(reassign) };
  },
});

function terms(base: 'categories' | 'tags') {
  return collectionOps<RawTerm, TermRecord>({
    base,
    toRecord: (t) => ({ id: String(t.id), name: t.name, slug: t.slug, description: t.description, parent: t.parent ? String(t.parent) : null, count: t.count, link: t.link, taxonomy: t.taxonomy }),
    // Terms have no timestamps at all; 0 leaves conflict resolution to other fields.
    modifiedAt: () => 0,
    bodyOf: (r) => defined({ name: str(r.name), slug: str(r.slug), description: str(r.description), ...(base === 'categories' && r.parent !== undefined ? { parent: Number(r.parent ?? 0) } : {}) }),
    find: async (ctx: ConnectorContext, field: string, value: unknown) => {
      if (field !== 'slug') throw new Error(`wordpress ${base}: matchField must be slug`);
      const res = await getPage<RawTerm>(ctx, `/wp/v2/${base}`, { slug: String(value), context: 'edit' }, 1, 1);
      return res.items[0] ? String(res.items[0].id) : undefined;
    },
  });
}

export function collectionModel<T>(name: string, description: string, schema: Record<string, unknown>, ops: CollectionOps<T>, matchFields: string[]): ModelSpec<T> {
  return {
    name, description, schema, batchLimit: 1, incremental: false, matchFields,
    list: ops.list, get: ops.get,
    upsert: (ctx, inputs) => ops.upsert(ctx, inputs as unknown as UpsertInput[]),
    delete: ops.delete,
  };
}

const s = { type: 'string' };
const ns = { type: ['string', 'null'] };

export const usersModel = collectionModel<UserRecord>('users', 'Site users (context=edit: email and roles); full reads. Deletes need params.reassign.', {
  title: 'WordPress user', type: 'object', required: ['id', 'name', 'slug', 'roles'],
  properties: { id: s, username: ns, name: s, firstName: ns, lastName: ns, email: ns, roles: { type: 'array', items: s }, slug: s, link: s, registeredAt: ns },
}, users, ['email']);

const termSchema = (title: string) => ({
  title, type: 'object', required: ['id', 'name', 'slug'],
  properties: { id: s, name: s, slug: s, description: s, parent: ns, count: { type: 'integer' }, link: s, taxonomy: s },
});

export const categoriesModel = collectionModel<TermRecord>('categories', 'Post categories; full reads; deletes are permanent.', termSchema('WordPress category'), terms('categories'), ['slug']);
export const tagsModel = collectionModel<TermRecord>('tags', 'Post tags; full reads; deletes are permanent.', termSchema('WordPress tag'), terms('tags'), ['slug']);
