import type { FastifyInstance } from 'fastify';
import type { NotionCtx } from './knobs.ts';
import { createPage, updatePage, type Author } from './page-ops.ts';
import { pageObject } from './query.ts';
import { sendVerification } from './webhooks.ts';

/**
 * `/_sandbox/...` actions "as a user in the UI" (authored by a person) and
 * the subscription verification request. They wait for first delivery
 * attempts so tests can assert right after.
 */
export function registerControlRoutes(app: FastifyInstance, ctx: NotionCtx): void {
  const person = (): Author => ({ id: [...ctx.state.users.values()].find((u) => u.type === 'person')!.id, type: 'person' });

  app.post('/_sandbox/pages', async (req, reply) => {
    const { page, fire } = createPage(ctx, (req.body ?? {}) as Parameters<typeof createPage>[1], person());
    await fire();
    return reply.code(201).send(pageObject(ctx.state, page, ctx.baseUrl(), '2025-09-03'));
  });

  app.patch('/_sandbox/pages/:id', async (req) => {
    const { page, fire } = updatePage(ctx, (req.params as { id: string }).id, (req.body ?? {}) as Parameters<typeof updatePage>[2], person());
    await fire();
    return pageObject(ctx.state, page, ctx.baseUrl(), '2025-09-03');
  });

  app.delete('/_sandbox/pages/:id', async (req) => {
    const { page, fire } = updatePage(ctx, (req.params as { id: string }).id, { in_trash: true }, person());
    await fire();
    return { id: page.id, in_trash: page.inTrash };
  });

  /** POSTs `{"verification_token": <subscription secret>}` to a registered subscription's URL. */
  app.post('/_sandbox/webhooks/subscriptions/:id/verify', async (req, reply) => {
    const sub = ctx.webhooks.subscriptions.get((req.params as { id: string }).id);
    if (!sub) return reply.code(404).send({ error: 'no such subscription' });
    return sendVerification(sub.url, sub.secret);
  });
}
