import { RateWindow } from '../core/rate-window.ts';

/**
 * The fake's account: boards with typed columns and groups, items whose
 * column values are kept in Monday's own stored `value` JSON, users, live
 * pagination cursors, webhook subscriptions and complexity budgets.
 */
export type ColumnType = 'name' | 'text' | 'email' | 'phone' | 'status' | 'date' | 'numbers' | 'people';

export interface Column {
  id: string;
  title: string;
  type: ColumnType;
  /** Parsed settings; `settings_str` is this serialised (status labels live here). */
  settings: Record<string, unknown>;
}

export interface Group {
  id: string;
  title: string;
  color: string;
}

export interface Board {
  id: string;
  name: string;
  columns: Column[];
  groups: Group[];
  /** Item ids in board order (creation order, newest last). */
  itemIds: string[];
  updatedAt: string;
}

export interface Item {
  id: string;
  boardId: string;
  groupId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  creatorId: string;
  state: 'active' | 'archived' | 'deleted';
  /** Column id → Monday's stored value object (absent means empty). */
  values: Map<string, unknown>;
}

export interface User {
  id: string;
  name: string;
  email: string;
}

export interface Cursor {
  boardId: string;
  ids: string[];
  position: number;
  createdAt: number;
}

/** A webhook made with `create_webhook`: board-scoped, one event, optional config. */
export interface BoardWebhook {
  id: string;
  boardId: string;
  event: string;
  config: Record<string, unknown> | null;
  url: string;
}

export interface Budget {
  windowStart: number;
  used: number;
}

export interface MondayState {
  accountId: number;
  boards: Map<string, Board>;
  items: Map<string, Item>;
  users: Map<string, User>;
  cursors: Map<string, Cursor>;
  webhooks: Map<string, BoardWebhook>;
  budgets: Map<string, Budget>;
  minuteWindow: RateWindow | null;
  nextId: number;
}

export function createState(): MondayState {
  const users = new Map<string, User>();
  const names = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds'];
  names.forEach((name, i) => {
    const id = String(40_000_001 + i);
    users.set(id, { id, name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` });
  });
  return {
    accountId: 9_000_001,
    boards: new Map(),
    items: new Map(),
    users,
    cursors: new Map(),
    webhooks: new Map(),
    budgets: new Map(),
    minuteWindow: null,
    nextId: 1_800_000_001,
  };
}

export const newId = (state: MondayState): string => String(state.nextId++);

/** The user every sandbox token acts as. */
export const accountUser = (state: MondayState): User => [...state.users.values()][0]!;

export function settingsStr(column: Column): string {
  return JSON.stringify(column.settings);
}

export function activeItemsOf(state: MondayState, board: Board): Item[] {
  const out: Item[] = [];
  for (const id of board.itemIds) {
    const item = state.items.get(id);
    if (item && item.state === 'active') out.push(item);
  }
  return out;
}
