import { decodeColumnValues, parseColumnInput } from './column-values.ts';
import { invalidArgument, invalidBoardId, invalidColumnId, itemNotFound, MondayApiError } from './errors.ts';
import type { ItemChange } from './webhooks.ts';
import { accountUser, newId, type Board, type Item, type MondayState } from './store.ts';

/**
 * Item writes shared by the GraphQL mutations and the "as a user in the UI"
 * control routes. Each returns the changes it made so the caller can fire
 * the matching webhooks.
 */
export function boardOf(state: MondayState, boardId: unknown): Board {
  const board = state.boards.get(String(boardId));
  if (!board) throw invalidBoardId(String(boardId));
  return board;
}

export function itemOf(state: MondayState, itemId: unknown, boardId?: unknown): Item {
  if (itemId === undefined || itemId === null) throw invalidArgument('item_id is required');
  const item = state.items.get(String(itemId));
  if (!item || item.state === 'deleted' || (boardId !== undefined && item.boardId !== String(boardId))) throw itemNotFound(String(itemId));
  return item;
}

const MAX_NAME = 255;

function checkName(name: string): void {
  if (name.length > MAX_NAME) throw new MondayApiError(`Item name is too long, max length is ${MAX_NAME}`, 'ItemNameTooLongException', { max_length: MAX_NAME });
}

/** Applies `column_values` to an item; validates every value before changing any. */
function applyValues(state: MondayState, board: Board, item: Item, raw: unknown, createLabels: boolean): ItemChange[] {
  const input = decodeColumnValues(raw);
  const planned: { columnId: string; next: unknown }[] = [];
  let newName: string | undefined;
  for (const [columnId, value] of Object.entries(input)) {
    if (columnId === 'name') {
      newName = String(value ?? '');
      checkName(newName);
      continue;
    }
    const column = board.columns.find((c) => c.id === columnId);
    if (!column) throw invalidColumnId(columnId);
    const parsed = parseColumnInput(state, column, value, createLabels);
    planned.push({ columnId, next: 'clear' in parsed ? undefined : parsed.stored });
  }
  const changes: ItemChange[] = [];
  for (const { columnId, next } of planned) {
    const column = board.columns.find((c) => c.id === columnId)!;
    const previous = item.values.get(columnId);
    if (next === undefined) item.values.delete(columnId);
    else item.values.set(columnId, next);
    changes.push({ kind: 'change_column_value', board, item, column, value: next, previous });
  }
  if (newName !== undefined && newName !== item.name) {
    const previousName = item.name;
    item.name = newName;
    changes.push({ kind: 'change_name', board, item, previousName });
  }
  return changes;
}

function touch(board: Board, item: Item): void {
  const now = new Date().toISOString();
  item.updatedAt = now;
  board.updatedAt = now;
}

export function createItem(
  state: MondayState,
  args: { boardId: unknown; name: string; groupId?: string | null; columnValues?: unknown; createLabels?: boolean; at?: string },
): { item: Item; changes: ItemChange[] } {
  const board = boardOf(state, args.boardId);
  checkName(args.name);
  const groupId = args.groupId ?? board.groups[0]?.id;
  if (!groupId || !board.groups.some((g) => g.id === groupId)) throw new MondayApiError('Group not found', 'InvalidGroupIdException', { group_id: args.groupId ?? null });
  const at = args.at ?? new Date().toISOString();
  const item: Item = {
    id: newId(state), boardId: board.id, groupId, name: args.name, createdAt: at, updatedAt: at,
    creatorId: accountUser(state).id, state: 'active', values: new Map(),
  };
  // Validate before the item exists, so a bad value leaves no half-made item behind.
  applyValues(state, board, { ...item, values: new Map() }, args.columnValues ?? {}, args.createLabels ?? false);
  applyValues(state, board, item, args.columnValues ?? {}, args.createLabels ?? false);
  state.items.set(item.id, item);
  board.itemIds.push(item.id);
  board.updatedAt = at;
  return { item, changes: [{ kind: 'create_item', board, item }] };
}

export function changeValues(
  state: MondayState,
  args: { boardId: unknown; itemId: unknown; columnValues: unknown; createLabels?: boolean },
): { item: Item; changes: ItemChange[] } {
  const board = boardOf(state, args.boardId);
  const item = itemOf(state, args.itemId, board.id);
  const changes = applyValues(state, board, item, args.columnValues, args.createLabels ?? false);
  if (changes.length) touch(board, item);
  return { item, changes };
}

export function removeItem(state: MondayState, itemId: unknown, how: 'deleted' | 'archived'): { item: Item; changes: ItemChange[] } {
  const item = itemOf(state, itemId);
  const board = boardOf(state, item.boardId);
  item.state = how;
  touch(board, item);
  return { item, changes: [{ kind: how === 'deleted' ? 'item_deleted' : 'item_archived', board, item }] };
}
