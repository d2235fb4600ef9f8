import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authCode, callerOf, can, sendError, wpError } from './auth.ts';
import { slugify } from './content.ts';
import { paginate, type Query } from './list.ts';
import { apiRoot, pickFields, presentTerm, presentUser } from './present.ts';
import type { Term, WpCtx } from './state.ts';

/** Users (with /users/me) and the two core taxonomies, categories and tags. */
export function registerUserTermRoutes(app: FastifyInstance, ctx: WpCtx): void {
  app.get('/wp-json/wp/v2/users/me', async (req, reply) => {
    const caller = callerOf(ctx, req, reply);
    if (!caller) return reply;
    if (!caller.user) return sendError(reply, wpError('rest_not_logged_in', 'You are not currently logged in.', 401));
    const q = req.query as Query;
    return pickFields(presentUser(ctx, caller.user, q.context === 'edit' ? 'edit' : 'view'), q._fields);
  });

  app.get('/wp-json/wp/v2/users', async (req, reply) => {
    const caller = callerOf(ctx, req, reply);
    if (!caller) return reply;
    const q = req.query as Query;
    if (q.context === 'edit' && !can(caller.user, 'list_users')) {
      return sendError(reply, wpError('rest_forbidden_context', 'Sorry, you are not allowed to list users.', authCode(caller.user)));
    }
    // Anonymous callers only see people who have published something.
    const authors = new Set([...ctx.state.posts.values()].filter((p) => p.status === 'publish').map((p) => p.author));
    const users = [...ctx.state.users.values()].filter((u) => can(caller.user, 'list_users') || authors.has(u.id))
      .filter((u) => !q.search || `${u.name} ${u.username} ${u.email}`.toLowerCase().includes(q.search.toLowerCase()));
    const page = paginate(req, reply, `${apiRoot(ctx)}/wp/v2/users`, users);
    if (!Array.isArray(page)) return sendError(reply, page);
    return page.map((u) => pickFields(presentUser(ctx, u, q.context === 'edit' ? 'edit' : 'view'), q._fields));
  });

  app.get('/wp-json/wp/v2/users/:id', async (req, reply) => {
    const caller = callerOf(ctx, req, reply);
    if (!caller) return reply;
    const u = ctx.state.users.get(Number((req.params as { id: string }).id));
    if (!u) return sendError(reply, wpError('rest_user_invalid_id', 'Invalid user ID.', 404));
    const q = req.query as Query;
    const edit = q.context === 'edit';
    if (edit && !(can(caller.user, 'list_users') || caller.user?.id === u.id)) {
      return sendError(reply, wpError('rest_forbidden_context', 'Sorry, you are not allowed to edit this user.', authCode(caller.user)));
    }
    return pickFields(presentUser(ctx, u, edit ? 'edit' : 'view'), q._fields);
  });

  app.delete('/wp-json/wp/v2/users/:id', async (req, reply) => {
    const caller = callerOf(ctx, req, reply);
    if (!caller) return reply;
    if (!can(caller.user, 'delete_users')) return sendError(reply, wpError('rest_user_cannot_delete', 'Sorry, you are not allowed to delete this user.', authCode(caller.user)));
    const q = req.query as Query;
    if (q.force !== 'true') return sendError(reply, wpError('rest_trash_not_supported', "Users do not support trashing. Set 'force=true' to delete.", 501));
    const u = ctx.state.users.get(Number((req.params as { id: string }).id));
    if (!u) return sendError(reply, wpError('rest_user_invalid_id', 'Invalid user ID.', 404));
    const reassign = Number(q.reassign);
    if (!q.reassign || !ctx.state.users.has(reassign) || reassign === u.id) return sendError(reply, wpError('rest_user_invalid_reassign', 'Invalid user ID for reassignment.', 400));
    for (const p of ctx.state.posts.values()) if (p.author === u.id) p.author = reassign;
    ctx.state.users.delete(u.id);
    return { deleted: true, previous: presentUser(ctx, u, 'edit') };
  });

  for (const [base, taxonomy] of [['categories', 'category'], ['tags', 'post_tag']] as const) {
    const url = `/wp-json/wp/v2/${base}`;
    const count = (t: Term) => [...ctx.state.posts.values()].filter((p) => p.status === 'publish' && (taxonomy === 'category' ? p.categories : p.tags).includes(t.id)).length;
    app.get(url, async (req, reply) => listTerms(ctx, req, reply, taxonomy, url, count));
    app.get(`${url}/:id`, async (req, reply) => {
      const caller = callerOf(ctx, req, reply);
      if (!caller) return reply;
      const t = ctx.state.terms.get(Number((req.params as { id: string }).id));
      if (!t || t.taxonomy !== taxonomy) return sendError(reply, wpError('rest_term_invalid', 'Term does not exist.', 404));
      return presentTerm(ctx, t, count(t));
    });
    app.post(url, async (req, reply) => {
      const caller = callerOf(ctx, req, reply);
      if (!caller) return reply;
      if (!can(caller.user, 'manage_categories')) return sendError(reply, wpError('rest_cannot_create', 'Sorry, you are not allowed to create terms in this taxonomy.', authCode(caller.user)));
      const b = (req.body ?? {}) as { name?: string; slug?: string; description?: string; parent?: number };
      if (!b.name) return sendError(reply, wpError('rest_missing_callback_param', 'Missing parameter(s): name', 400, { params: ['name'] }));
      const slug = slugify(b.slug ?? b.name);
      const dup = [...ctx.state.terms.values()].find((t) => t.taxonomy === taxonomy && t.slug === slug);
      if (dup) return sendError(reply, wpError('term_exists', 'A term with the name provided already exists in this taxonomy.', 400, { term_id: dup.id }));
      const t: Term = { id: ctx.state.nextTermId++, taxonomy, name: b.name, slug, description: b.description ?? '', parent: b.parent ?? 0 };
      ctx.state.terms.set(t.id, t);
      return reply.code(201).send(presentTerm(ctx, t, 0));
    });
  }
}

function listTerms(ctx: WpCtx, req: FastifyRequest, reply: FastifyReply, taxonomy: Term['taxonomy'], url: string, count: (t: Term) => number) {
  const caller = callerOf(ctx, req, reply);
  if (!caller) return reply;
  const q = req.query as Query;
  const terms = [...ctx.state.terms.values()]
    .filter((t) => t.taxonomy === taxonomy && (!q.search || t.name.toLowerCase().includes(q.search.toLowerCase())) && (!q.slug || q.slug.split(',').includes(t.slug)))
    .filter((t) => q.hide_empty !== 'true' || count(t) > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(req, reply, `${apiRoot(ctx)}${url.replace('/wp-json', '')}`, terms);
  if (!Array.isArray(page)) return sendError(reply, page);
  return page.map((t) => pickFields(presentTerm(ctx, t, count(t)), q._fields));
}
