import { randomUUID } from 'node:crypto';
import { decodeColumnValues } from './column-values.ts';
import { invalidArgument, MondayApiError } from './errors.ts';
import { nextPage, sweepCursors } from './items-query.ts';
import { boardOf, changeValues, createItem, itemOf, removeItem } from './item-ops.ts';
import type { MondayCtx } from './knobs.ts';
import { accountUser, type BoardWebhook } from './store.ts';
import { boardView, itemView, pageView } from './views.ts';
import { challenge, type ItemChange } from './webhooks.ts';

/** What one GraphQL request carries through its resolvers. */
export interface RequestScope {
  fake: MondayCtx;
  apiVersion: string;
  complexity: { before: number; after: number; query: number; reset_in_x_seconds: number };
  /** Changes made by mutations; their webhooks fire once the response is decided. */
  changes: ItemChange[];
}

type Args = Record<string, any>;

const pageSlice = <T>(list: T[], limit: number, page: number): T[] => list.slice((Math.max(page, 1) - 1) * limit, Math.max(page, 1) * limit);

export function queryRoot(scope: RequestScope) {
  const fake = scope.fake;
  const state = fake.state;
  const userView = (u = accountUser(state)) => ({
    ...u, enabled: true, is_admin: true,
    account: { id: String(state.accountId), name: 'Sandbox Account', slug: 'sandbox' },
  });
  return {
    boards: (a: Args) => {
      let boards = [...state.boards.values()];
      if (a.ids) boards = boards.filter((b) => (a.ids as string[]).map(String).includes(b.id));
      return pageSlice(boards, a.limit, a.page).map((b) => boardView(fake, b));
    },
    items: (a: Args) => {
      const ids: string[] = (a.ids ?? []).map(String);
      if (ids.length > 100) throw invalidArgument('items query accepts at most 100 ids', { max_ids: 100 });
      const found = ids.map((id) => state.items.get(id)).filter((i) => i !== undefined && i.state !== 'deleted');
      const list = a.exclude_nonactive ? found.filter((i) => i!.state === 'active') : found;
      if (a.newest_first) list.reverse();
      return pageSlice(list, a.limit, a.page).map((i) => itemView(fake, i!));
    },
    next_items_page: (a: Args) => {
      const page = nextPage(state, a.cursor, a.limit, fake.knobs.cursorTtlSec);
      sweepCursors(state, fake.knobs.cursorTtlSec);
      return pageView(fake, page);
    },
    items_page_by_column_values: (a: Args) => {
      const board = boardOf(state, a.board_id);
      if (a.cursor) return pageView(fake, nextPage(state, a.cursor, a.limit, fake.knobs.cursorTtlSec));
      const rules = ((a.columns ?? []) as { column_id: string; column_values: string[] }[])
        .map((c) => ({ column_id: c.column_id, compare_value: c.column_values, operator: 'any_of' }));
      return boardView(fake, board).items_page({ limit: a.limit, query_params: { rules, operator: 'and' } });
    },
    me: () => userView(),
    users: (a: Args) => [...state.users.values()]
      .filter((u) => !a.ids || (a.ids as string[]).map(String).includes(u.id))
      .map((u) => userView(u)),
    webhooks: (a: Args) => [...state.webhooks.values()].filter((w) => w.boardId === String(a.board_id)).map(webhookView),
    complexity: () => scope.complexity,
    version: () => ({ kind: 'current', value: scope.apiVersion }),
  };
}

function webhookView(w: BoardWebhook) {
  return { id: w.id, board_id: w.boardId, event: w.event, config: w.config ? JSON.stringify(w.config) : null };
}

export function mutationRoot(scope: RequestScope) {
  const fake = scope.fake;
  const state = fake.state;
  const record = <T extends { item: unknown; changes: ItemChange[] }>(out: T): T => {
    scope.changes.push(...out.changes);
    return out;
  };
  return {
    complexity: () => scope.complexity,
    create_item: (a: Args) => itemView(fake, record(createItem(state, {
      boardId: a.board_id, name: a.item_name, groupId: a.group_id, columnValues: a.column_values, createLabels: a.create_labels_if_missing,
    })).item),
    change_multiple_column_values: (a: Args) => itemView(fake, record(changeValues(state, {
      boardId: a.board_id, itemId: a.item_id, columnValues: a.column_values, createLabels: a.create_labels_if_missing,
    })).item),
    change_column_value: (a: Args) => {
      const value = typeof a.value === 'string' ? decodeColumnValues(`{"v":${a.value}}`).v : a.value;
      return itemView(fake, record(changeValues(state, {
        boardId: a.board_id, itemId: a.item_id, columnValues: { [a.column_id]: value }, createLabels: a.create_labels_if_missing,
      })).item);
    },
    change_simple_column_value: (a: Args) => itemView(fake, record(changeValues(state, {
      boardId: a.board_id, itemId: a.item_id, columnValues: { [a.column_id]: a.value ?? '' }, createLabels: a.create_labels_if_missing,
    })).item),
    archive_item: (a: Args) => itemView(fake, record(removeItem(state, a.item_id, 'archived')).item),
    delete_item: (a: Args) => {
      itemOf(state, a.item_id);
      return itemView(fake, record(removeItem(state, a.item_id, 'deleted')).item);
    },
    create_webhook: async (a: Args) => {
      boardOf(state, a.board_id);
      if (fake.knobs.verifyWebhookUrl) {
        const result = await challenge(a.url);
        if (!result.ok) throw new MondayApiError('Webhook URL verification failed: the challenge was not returned', 'WebhookVerificationFailed', { url: a.url, reason: result.error ?? null });
      }
      const config = a.config === undefined || a.config === null ? null : decodeColumnValues(a.config);
      const sub = fake.webhooks.subscribe({ url: a.url, events: [], secret: fake.knobs.signingSecret, id: String(state.nextId++) });
      const hook: BoardWebhook = { id: sub.id, boardId: String(a.board_id), event: a.event, config, url: a.url };
      state.webhooks.set(hook.id, hook);
      return webhookView(hook);
    },
    delete_webhook: (a: Args) => {
      const hook = state.webhooks.get(String(a.id));
      if (!hook) throw new MondayApiError('Webhook not found', 'ResourceNotFoundException', { webhook_id: String(a.id) }, 404);
      state.webhooks.delete(hook.id);
      fake.webhooks.subscriptions.delete(hook.id);
      return webhookView(hook);
    },
  };
}

export const requestId = (): string => randomUUID();
