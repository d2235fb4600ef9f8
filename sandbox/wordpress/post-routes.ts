import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authCode, callerOf, can, sendError, wpError, type WpError } from './auth.ts';
import { slugify } from './content.ts';
import { invalidParam, paginate, type Query } from './list.ts';
import { filterPosts } from './post-query.ts';
import { apiRoot, pickFields, presentPost, REST_BASE, type Context } from './present.ts';
import { wpDate, type Post, type User, type WpCtx } from './state.ts';
import { emitPostEvent } from './webhooks.ts';

/**
 * The posts controller, mounted for posts, pages, the `book` custom post type
 * and (list/read/update/delete only) media. DELETE trashes unless force=true;
 * media cannot be trashed.
 */
const WRITABLE_STATUSES = ['publish', 'future', 'draft', 'pending', 'private'];
const NOUN: Record<Post['type'], string> = { post: 'posts', page: 'pages', book: 'posts', attachment: 'posts' };

export function registerPostRoutes(app: FastifyInstance, ctx: WpCtx): void {
  for (const type of ['post', 'page', 'book', 'attachment'] as const) {
    const base = `/wp-json/wp/v2/${REST_BASE[type]}`;
    app.get(base, async (req, reply) => list(ctx, type, req, reply));
    app.get(`${base}/:id`, async (req, reply) => getOne(ctx, type, req, reply));
    if (type !== 'attachment') app.post(base, async (req, reply) => create(ctx, type, req, reply));
    for (const method of ['POST', 'PUT', 'PATCH'] as const) app.route({ method, url: `${base}/:id`, handler: async (req, reply) => update(ctx, type, req, reply) });
    app.delete(`${base}/:id`, async (req, reply) => remove(ctx, type, req, reply));
  }
}

function contextOf(q: Query): Context | WpError {
  const c = q.context ?? 'view';
  return c === 'view' || c === 'edit' || c === 'embed' ? c : invalidParam('context', 'context is not one of view, embed, and edit.');
}

const forbiddenContext = (type: Post['type'], user: User | null): WpError =>
  wpError('rest_forbidden_context', `Sorry, you are not allowed to edit ${NOUN[type]} in this post type.`, authCode(user));

function list(ctx: WpCtx, type: Post['type'], req: FastifyRequest, reply: FastifyReply) {
  const caller = callerOf(ctx, req, reply);
  if (!caller) return reply;
  const q = req.query as Query;
  const context = contextOf(q);
  if (typeof context !== 'string') return sendError(reply, context);
  if (context === 'edit' && !can(caller.user, 'edit_posts')) return sendError(reply, forbiddenContext(type, caller.user));
  const found = filterPosts([...ctx.state.posts.values()], type, q, caller.user);
  if (!Array.isArray(found)) return sendError(reply, found);
  const page = paginate(req, reply, `${apiRoot(ctx)}/wp/v2/${REST_BASE[type]}`, found, 'rest_post_invalid_page_number');
  if (!Array.isArray(page)) return sendError(reply, page);
  const body = page.map((p) => pickFields(presentPost(ctx, p, context), q._fields));
  if (ctx.takeMalformed()) return reply.type('application/json; charset=UTF-8').send(JSON.stringify(body).slice(0, 30));
  return body;
}

function find(ctx: WpCtx, type: Post['type'], req: FastifyRequest): Post | WpError {
  const p = ctx.state.posts.get(Number((req.params as { id: string }).id));
  if (!p || p.type !== type) return wpError('rest_post_invalid_id', 'Invalid post ID.', 404);
  return p;
}

function getOne(ctx: WpCtx, type: Post['type'], req: FastifyRequest, reply: FastifyReply) {
  const caller = callerOf(ctx, req, reply);
  if (!caller) return reply;
  const q = req.query as Query;
  const context = contextOf(q);
  if (typeof context !== 'string') return sendError(reply, context);
  const p = find(ctx, type, req);
  if ('code' in p) return sendError(reply, p);
  const visible = p.status === 'publish' || p.status === 'inherit';
  if (!visible && !can(caller.user, 'edit_posts')) return sendError(reply, wpError('rest_forbidden', 'Sorry, you are not allowed to do that.', authCode(caller.user)));
  if (context === 'edit' && !canEdit(caller.user, p)) return sendError(reply, forbiddenContext(type, caller.user));
  return pickFields(presentPost(ctx, p, context), q._fields);
}

function canEdit(user: User | null, p: Post): boolean {
  if (p.type === 'page') return can(user, 'edit_pages');
  return can(user, 'edit_others_posts') || (can(user, 'edit_posts') && user?.id === p.author);
}

const rawOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { raw?: unknown }).raw === 'string' ? (v as { raw: string }).raw : undefined);

/** Applies a request body to a post; returns an error for invalid input. */
function applyBody(ctx: WpCtx, p: Post, body: Record<string, unknown>, user: User): WpError | undefined {
  const title = rawOf(body.title);
  const content = rawOf(body.content);
  const excerpt = rawOf(body.excerpt);
  if (title !== undefined) p.title = title;
  if (content !== undefined) p.content = content;
  if (excerpt !== undefined) p.excerpt = excerpt;
  if (body.status !== undefined) {
    if (typeof body.status !== 'string' || !WRITABLE_STATUSES.includes(body.status)) return invalidParam('status', 'status is not one of publish, future, draft, pending, private.');
    if ((body.status === 'publish' || body.status === 'private') && !can(user, 'publish_posts')) {
      return wpError('rest_cannot_publish', 'Sorry, you are not allowed to publish posts in this post type.', 403);
    }
    p.status = body.status as Post['status'];
  }
  if (typeof body.slug === 'string') p.slug = slugify(body.slug);
  if (typeof body.date === 'string') p.date = wpDate(Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(body.date) ? body.date : `${body.date}Z`));
  if (typeof body.password === 'string') p.password = body.password;
  if (typeof body.sticky === 'boolean') p.sticky = body.sticky;
  if (typeof body.menu_order === 'number') p.menuOrder = body.menu_order;
  if (typeof body.parent === 'number') p.parent = body.parent;
  if (typeof body.featured_media === 'number') p.featuredMedia = body.featured_media;
  if (typeof body.alt_text === 'string') p.altText = body.alt_text;
  if (typeof body.author === 'number') {
    if (!ctx.state.users.has(body.author)) return wpError('rest_invalid_author', 'Invalid author ID.', 400);
    if (body.author !== user.id && !can(user, 'edit_others_posts')) return wpError('rest_cannot_edit_others', 'Sorry, you are not allowed to update posts as this user.', 403);
    p.author = body.author;
  }
  for (const tax of ['categories', 'tags'] as const) {
    const v = body[tax];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) return invalidParam(tax, `${tax}[0] is not of type integer.`);
    if (v.some((id) => ctx.state.terms.get(id)?.taxonomy !== (tax === 'categories' ? 'category' : 'post_tag'))) return wpError('rest_invalid_term_id', 'Invalid term ID.', 400);
    p[tax] = v as number[];
  }
  return undefined;
}

function uniqueSlug(ctx: WpCtx, p: Post): string {
  const base = p.slug || slugify(p.title) || String(p.id);
  let slug = base;
  for (let n = 2; [...ctx.state.posts.values()].some((o) => o.id !== p.id && o.type === p.type && o.slug === slug); n += 1) slug = `${base}-${n}`;
  return slug;
}

function create(ctx: WpCtx, type: Post['type'], req: FastifyRequest, reply: FastifyReply) {
  const caller = callerOf(ctx, req, reply);
  if (!caller) return reply;
  const user = caller.user;
  if (!user || !can(user, type === 'page' ? 'edit_pages' : 'edit_posts')) {
    return sendError(reply, wpError('rest_cannot_create', `Sorry, you are not allowed to create ${NOUN[type]} as this user.`, authCode(user)));
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.id !== undefined) return sendError(reply, wpError('rest_post_exists', 'Cannot create existing post.', 400));
  const now = wpDate(Date.now());
  const p: Post = {
    id: ctx.state.nextPostId++, type, status: 'draft', slug: '', title: '', content: '', excerpt: '', author: user.id, date: now, modified: now,
    parent: 0, menuOrder: 0, sticky: false, categories: [], tags: [], featuredMedia: 0, password: '',
  };
  const err = applyBody(ctx, p, body, user);
  if (err) {
    ctx.state.nextPostId -= 1;
    return sendError(reply, err);
  }
  if (type === 'post' && p.categories.length === 0) p.categories = [1];
  p.slug = uniqueSlug(ctx, p);
  ctx.state.posts.set(p.id, p);
  emitPostEvent(ctx, 'post_create', p);
  reply.header('Location', `${apiRoot(ctx)}/wp/v2/${REST_BASE[type]}/${p.id}`);
  return reply.code(201).send(presentPost(ctx, p, 'edit'));
}

function update(ctx: WpCtx, type: Post['type'], req: FastifyRequest, reply: FastifyReply) {
  const caller = callerOf(ctx, req, reply);
  if (!caller) return reply;
  const p = find(ctx, type, req);
  if ('code' in p) return sendError(reply, p);
  const user = caller.user;
  if (!user || !canEdit(user, p)) return sendError(reply, wpError('rest_cannot_edit', 'Sorry, you are not allowed to edit this post.', authCode(user)));
  const draft = { ...p };
  const err = applyBody(ctx, draft, (req.body ?? {}) as Record<string, unknown>, user);
  if (err) return sendError(reply, err);
  Object.assign(p, draft, { modified: wpDate(Math.max(Date.now(), Date.parse(`${p.modified}Z`) + 1000)) });
  p.slug = uniqueSlug(ctx, p);
  emitPostEvent(ctx, 'post_update', p);
  return presentPost(ctx, p, 'edit');
}

function remove(ctx: WpCtx, type: Post['type'], req: FastifyRequest, reply: FastifyReply) {
  const caller = callerOf(ctx, req, reply);
  if (!caller) return reply;
  const p = find(ctx, type, req);
  if ('code' in p) return sendError(reply, p);
  const user = caller.user;
  if (!user || !canEdit(user, p)) return sendError(reply, wpError('rest_cannot_delete', 'Sorry, you are not allowed to delete this post.', authCode(user)));
  const q = req.query as Query;
  const force = q.force === 'true' || q.force === '1' || (req.body as { force?: boolean } | undefined)?.force === true;
  if (force) {
    const previous = presentPost(ctx, p, 'edit');
    ctx.state.posts.delete(p.id);
    emitPostEvent(ctx, 'post_delete', p);
    return { deleted: true, previous };
  }
  if (type === 'attachment') return sendError(reply, wpError('rest_trash_not_supported', "The post does not support trashing. Set 'force=true' to delete.", 501));
  if (p.status === 'trash') return sendError(reply, wpError('rest_already_trashed', 'The post has already been deleted.', 410));
  p.trashedFrom = p.status;
  p.status = 'trash';
  p.modified = wpDate(Date.now());
  emitPostEvent(ctx, 'post_trash', p);
  return presentPost(ctx, p, 'edit');
}
