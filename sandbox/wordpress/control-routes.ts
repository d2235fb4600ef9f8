import type { FastifyInstance } from 'fastify';
import { paragraphBlock, slugify } from './content.ts';
import { presentPost, REST_BASE } from './present.ts';
import { wpDate, type Post, type WpCtx } from './state.ts';
import { emitPostEvent } from './webhooks.ts';

/**
 * `/_sandbox/wordpress/...`: an editor working in wp-admin. Creating,
 * editing or deleting here fires the plugin webhook like the REST API does.
 */
const TYPE_BY_BASE: Record<string, Post['type']> = Object.fromEntries(Object.entries(REST_BASE).map(([t, b]) => [b, t as Post['type']]));

export function registerControlRoutes(app: FastifyInstance, ctx: WpCtx): void {
  app.post('/_sandbox/wordpress/:collection', async (req, reply) => {
    const type = TYPE_BY_BASE[(req.params as { collection: string }).collection];
    if (!type || type === 'attachment') return reply.code(404).send({ error: 'unknown collection' });
    const b = (req.body ?? {}) as { title?: string; content?: string; status?: Post['status']; author?: number };
    const now = wpDate(Date.now());
    const id = ctx.state.nextPostId++;
    const title = b.title ?? `Untitled ${id}`;
    const p: Post = {
      id, type, status: b.status ?? 'publish', slug: slugify(title) || String(id), title, content: b.content ?? paragraphBlock(title), excerpt: '',
      author: b.author ?? 1, date: now, modified: now, parent: 0, menuOrder: 0, sticky: false, categories: type === 'post' ? [1] : [], tags: [], featuredMedia: 0, password: '',
    };
    ctx.state.posts.set(id, p);
    emitPostEvent(ctx, 'post_create', p);
    return reply.code(201).send(presentPost(ctx, p, 'edit'));
  });
  app.patch('/_sandbox/wordpress/:collection/:id', async (req, reply) => {
    const p = ctx.state.posts.get(Number((req.params as { id: string }).id));
    if (!p) return reply.code(404).send({ error: 'not found' });
    const b = (req.body ?? {}) as { title?: string; content?: string; status?: Post['status'] };
    if (b.title !== undefined) p.title = b.title;
    if (b.content !== undefined) p.content = b.content;
    if (b.status !== undefined) p.status = b.status;
    p.modified = wpDate(Math.max(Date.now(), Date.parse(`${p.modified}Z`) + 1000));
    emitPostEvent(ctx, 'post_update', p);
    return presentPost(ctx, p, 'edit');
  });
  app.delete('/_sandbox/wordpress/:collection/:id', async (req, reply) => {
    const p = ctx.state.posts.get(Number((req.params as { id: string }).id));
    if (!p) return reply.code(404).send({ error: 'not found' });
    ctx.state.posts.delete(p.id);
    emitPostEvent(ctx, 'post_delete', p);
    return { deleted: true };
  });
}
