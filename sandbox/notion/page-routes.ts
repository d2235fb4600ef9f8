import type { FastifyInstance } from 'fastify';
import { versionOf } from './guard.ts';
import type { NotionCtx } from './knobs.ts';
import { createPage, pageOf, updatePage } from './page-ops.ts';
import { pageObject } from './query.ts';

/** `POST /v1/pages`, `GET /v1/pages/{id}`, `PATCH /v1/pages/{id}` (archive via `in_trash` or the older `archived`). */
export function registerPageRoutes(app: FastifyInstance, ctx: NotionCtx): void {
  const bot = () => ({ id: ctx.state.botId, type: 'bot' as const });
  const fireLater = (fire: () => Promise<void>) => {
    // Deliveries go out after the answer, like Notion's asynchronous events.
    setImmediate(() => void fire());
  };

  app.post('/v1/pages', async (req) => {
    const { page, fire } = createPage(ctx, (req.body ?? {}) as Parameters<typeof createPage>[1], bot());
    fireLater(fire);
    return pageObject(ctx.state, page, ctx.baseUrl(), versionOf(req.headers['notion-version']));
  });

  app.get('/v1/pages/:id', async (req) =>
    pageObject(ctx.state, pageOf(ctx, (req.params as { id: string }).id), ctx.baseUrl(), versionOf(req.headers['notion-version'])));

  app.patch('/v1/pages/:id', async (req) => {
    const { page, fire } = updatePage(ctx, (req.params as { id: string }).id, (req.body ?? {}) as Parameters<typeof updatePage>[2], bot());
    fireLater(fire);
    return pageObject(ctx.state, page, ctx.baseUrl(), versionOf(req.headers['notion-version']));
  });
}
