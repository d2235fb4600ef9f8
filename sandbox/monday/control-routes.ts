import type { FastifyInstance, FastifyReply } from 'fastify';
import { MondayApiError } from './errors.ts';
import { changeValues, createItem, removeItem } from './item-ops.ts';
import type { MondayCtx } from './knobs.ts';
import { itemView } from './views.ts';
import { challenge, deliverChange, type ItemChange } from './webhooks.ts';

/**
 * `/_sandbox/...` actions "as a user in the UI": they change items the way a
 * person in Monday would and fire the same webhooks. They wait for the first
 * delivery attempts so a test can assert on deliveries right after.
 */
async function fire(fake: MondayCtx, changes: ItemChange[]): Promise<void> {
  for (const change of changes) await deliverChange(fake, change);
}

function fail(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof MondayApiError) return reply.code(400).send({ error: err.extensions.code, message: err.message, error_data: err.extensions.error_data });
  throw err;
}

export function registerControlRoutes(app: FastifyInstance, fake: MondayCtx): void {
  app.post('/_sandbox/boards/:boardId/items', async (req, reply) => {
    const { boardId } = req.params as { boardId: string };
    const b = (req.body ?? {}) as { name?: string; group_id?: string; column_values?: unknown };
    try {
      const out = createItem(fake.state, { boardId, name: b.name ?? 'New item', groupId: b.group_id ?? null, columnValues: b.column_values ?? {} });
      await fire(fake, out.changes);
      return reply.code(201).send({ id: out.item.id, item: itemSummary(fake, out.item.id) });
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.patch('/_sandbox/items/:itemId', async (req, reply) => {
    const { itemId } = req.params as { itemId: string };
    const b = (req.body ?? {}) as { name?: string; column_values?: Record<string, unknown> };
    try {
      const item = fake.state.items.get(itemId);
      const values = { ...(b.column_values ?? {}), ...(b.name !== undefined ? { name: b.name } : {}) };
      const out = changeValues(fake.state, { boardId: item?.boardId ?? '', itemId, columnValues: values, createLabels: true });
      await fire(fake, out.changes);
      return reply.send({ id: out.item.id, changes: out.changes.length, item: itemSummary(fake, out.item.id) });
    } catch (err) {
      return fail(reply, err);
    }
  });

  app.delete('/_sandbox/items/:itemId', async (req, reply) => {
    const { itemId } = req.params as { itemId: string };
    const how = (req.query as { archive?: string }).archive === 'true' ? 'archived' : 'deleted';
    try {
      const out = removeItem(fake.state, itemId, how);
      await fire(fake, out.changes);
      return reply.send({ id: out.item.id, state: out.item.state });
    } catch (err) {
      return fail(reply, err);
    }
  });

  /** Sends Monday's challenge handshake to any URL (to test a receiver's handshake). */
  app.post('/_sandbox/webhooks/challenge', async (req, reply) => {
    const { url } = (req.body ?? {}) as { url?: string };
    if (!url) return reply.code(400).send({ error: 'url is required' });
    return reply.send(await challenge(url));
  });
}

function itemSummary(fake: MondayCtx, itemId: string) {
  const item = fake.state.items.get(itemId)!;
  const view = itemView(fake, item);
  return {
    id: item.id, name: item.name, board_id: item.boardId, group_id: item.groupId, state: item.state,
    created_at: item.createdAt, updated_at: item.updatedAt,
    column_values: view.column_values({}).map((v) => ({ id: v.id, type: v.type, text: v.text, value: v.value })),
  };
}
