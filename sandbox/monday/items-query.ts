import { randomBytes } from 'node:crypto';
import { textOf } from './column-values.ts';
import { cursorExpired, invalidArgument, invalidColumnId } from './errors.ts';
import { activeItemsOf, type Board, type Item, type MondayState } from './store.ts';

/**
 * `items_page` / `next_items_page`: filter rules (`query_params`), ordering,
 * and cursor pagination over a snapshot of matching ids taken on the first
 * page, so later pages are stable while items change (Monday's cursors are
 * likewise tied to the original query). Cursors expire after a TTL knob.
 */
export interface ItemsQuery {
  rules?: { column_id: string; compare_value: unknown; compare_attribute?: string | null; operator?: string | null }[] | null;
  operator?: 'and' | 'or' | null;
  groups?: string[] | null;
  ids?: string[] | null;
  order_by?: { column_id: string; direction?: 'asc' | 'desc' | null }[] | null;
}

export const MAX_PAGE_LIMIT = 500;
const LAST_UPDATED = '__last_updated__';
const CREATION_LOG = '__creation_log__';

export interface QueryOptions {
  /** Whether `__last_updated__` / `__creation_log__` rules and ordering are honoured (UNCONFIRMED upstream). */
  systemColumns: boolean;
}

function checkLimit(limit: number): void {
  if (limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw invalidArgument(`limit must be between 1 and ${MAX_PAGE_LIMIT}`, { limit, max_limit: MAX_PAGE_LIMIT });
  }
}

/** A rule's compare value as plain strings; Monday's date rules prefix the date with "EXACT". */
function compareList(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v) => v !== 'EXACT').map((v) => String(v));
}

function fieldOf(state: MondayState, board: Board, item: Item, columnId: string, opts: QueryOptions): { text: string; raw: unknown } {
  if (columnId === 'name') return { text: item.name, raw: item.name };
  if (opts.systemColumns && columnId === LAST_UPDATED) return { text: item.updatedAt, raw: item.updatedAt };
  if (opts.systemColumns && columnId === CREATION_LOG) return { text: item.createdAt, raw: item.createdAt };
  const column = board.columns.find((c) => c.id === columnId);
  if (!column) throw invalidColumnId(columnId);
  const stored = item.values.get(columnId);
  return { text: textOf(state, column, stored), raw: stored };
}

const asNumberOrTime = (s: string): number => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Date.parse(s));

function matchRule(state: MondayState, board: Board, item: Item, rule: NonNullable<ItemsQuery['rules']>[number], opts: QueryOptions): boolean {
  const { text, raw } = fieldOf(state, board, item, rule.column_id, opts);
  const values = compareList(rule.compare_value);
  const statusIndex = raw && typeof raw === 'object' && 'index' in raw ? String((raw as { index: number }).index) : undefined;
  const equalsAny = () => values.some((v) => v === text || (statusIndex !== undefined && v === statusIndex));
  const cmp = (v: string) => asNumberOrTime(text) - asNumberOrTime(v);
  switch (rule.operator ?? 'any_of') {
    case 'any_of': return equalsAny();
    case 'not_any_of': return !equalsAny();
    case 'is_empty': return text === '';
    case 'is_not_empty': return text !== '';
    case 'contains_text':
    case 'contains_terms': return values.some((v) => text.toLowerCase().includes(v.toLowerCase()));
    case 'not_contains_text': return !values.some((v) => text.toLowerCase().includes(v.toLowerCase()));
    case 'starts_with': return values.some((v) => text.startsWith(v));
    case 'ends_with': return values.some((v) => text.endsWith(v));
    case 'greater_than': return text !== '' && cmp(values[0] ?? '') > 0;
    case 'greater_than_or_equals': return text !== '' && cmp(values[0] ?? '') >= 0;
    case 'lower_than': return text !== '' && cmp(values[0] ?? '') < 0;
    case 'lower_than_or_equal': return text !== '' && cmp(values[0] ?? '') <= 0;
    case 'between': return text !== '' && cmp(values[0] ?? '') >= 0 && cmp(values[1] ?? '') <= 0;
    default: throw invalidArgument(`operator ${String(rule.operator)} is not supported by the sandbox`);
  }
}

export function selectItems(state: MondayState, board: Board, query: ItemsQuery | null | undefined, opts: QueryOptions, groupId?: string): string[] {
  let items = activeItemsOf(state, board);
  if (groupId) items = items.filter((i) => i.groupId === groupId);
  const q = query ?? {};
  if (q.ids?.length) {
    const wanted = new Set(q.ids.map(String));
    items = items.filter((i) => wanted.has(i.id));
  }
  if (q.groups?.length) {
    const wanted = new Set(q.groups);
    items = items.filter((i) => wanted.has(i.groupId));
  }
  const rules = q.rules ?? [];
  if (rules.length) {
    const any = q.operator === 'or';
    items = items.filter((i) => (any ? rules.some((r) => matchRule(state, board, i, r, opts)) : rules.every((r) => matchRule(state, board, i, r, opts))));
  }
  for (const order of [...(q.order_by ?? [])].reverse()) {
    const dir = order.direction === 'desc' ? -1 : 1;
    const keyed = items.map((i) => ({ i, k: fieldOf(state, board, i, order.column_id, opts).text }));
    keyed.sort((a, b) => dir * (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    items = keyed.map((x) => x.i);
  }
  return items.map((i) => i.id);
}

export interface Page {
  cursor: string | null;
  items: Item[];
}

function takePage(state: MondayState, boardId: string, ids: string[], position: number, limit: number): Page {
  const items: Item[] = [];
  let pos = position;
  while (pos < ids.length && items.length < limit) {
    const item = state.items.get(ids[pos]!);
    pos += 1;
    if (item && item.state === 'active') items.push(item);
  }
  if (pos >= ids.length) return { cursor: null, items };
  const cursor = `MSw${randomBytes(30).toString('base64url')}`;
  state.cursors.set(cursor, { boardId, ids, position: pos, createdAt: Date.now() });
  return { cursor, items };
}

export function firstPage(state: MondayState, board: Board, limit: number, query: ItemsQuery | null | undefined, opts: QueryOptions, groupId?: string): Page {
  checkLimit(limit);
  return takePage(state, board.id, selectItems(state, board, query, opts, groupId), 0, limit);
}

export function nextPage(state: MondayState, cursor: string, limit: number, ttlSec: number): Page {
  checkLimit(limit);
  const c = state.cursors.get(cursor);
  if (!c) throw invalidArgument('The cursor provided for pagination is invalid', { cursor });
  if (Date.now() - c.createdAt > ttlSec * 1000) {
    state.cursors.delete(cursor);
    throw cursorExpired();
  }
  // The original query's expiry carries over to each following page's cursor.
  const page = takePage(state, c.boardId, c.ids, c.position, limit);
  if (page.cursor) state.cursors.get(page.cursor)!.createdAt = c.createdAt;
  return page;
}

/** Drops cursors past their TTL so long runs do not accumulate snapshots. */
export function sweepCursors(state: MondayState, ttlSec: number): void {
  const cutoff = Date.now() - ttlSec * 1000;
  for (const [k, c] of state.cursors) if (c.createdAt < cutoff) state.cursors.delete(k);
}
