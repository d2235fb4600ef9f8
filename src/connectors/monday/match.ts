import type { ConnectorContext } from '../types.ts';
import { MATCHABLE_TYPES } from './columns.ts';
import type { BoardColumn } from './board-columns.ts';
import { gql, readCost } from './graphql.ts';

/**
 * `matchField` for items: find existing items by a column's value with an
 * `items_page` `any_of` rule on that column (many values per query). Which
 * column: a column id of the board (`email`, `columns.email`), or `email`
 * meaning the board's first email column.
 */
export function matchColumn(columns: BoardColumn[], matchField: string): BoardColumn | string {
  const name = matchField.replace(/^columns\./, '');
  const column = columns.find((c) => c.id === name) ?? (name === 'email' ? columns.find((c) => c.type === 'email') : undefined);
  if (!column) return `monday items: the board has no column ${matchField}`;
  if (!MATCHABLE_TYPES.has(column.type)) return `monday items: cannot match on a ${column.type} column (${column.id})`;
  return column;
}

/** The text Monday would show for the cell, from a typed column or a raw write value. */
export function matchValueOf(record: Record<string, unknown>, column: BoardColumn): string | undefined {
  const typed = (record.columns as Record<string, Record<string, unknown>> | undefined)?.[column.id];
  const raw = (record.column_values as Record<string, unknown> | undefined)?.[column.id];
  const pick = (o: Record<string, unknown>) => o.email ?? o.phone ?? o.number ?? o.text;
  const value = raw !== undefined
    ? (raw && typeof raw === 'object' ? pick(raw as Record<string, unknown>) : typeof raw === 'string' ? raw.trim().split(/\s+/)[0] : raw)
    : typed && typeof typed === 'object' ? pick(typed) : undefined;
  const s = value === undefined || value === null ? '' : String(value).trim();
  return s === '' ? undefined : s;
}

const FIND = 'query ($board: [ID!], $limit: Int, $qp: ItemsQuery, $cols: [String!]) { boards(ids: $board) { items_page(limit: $limit, query_params: $qp) { cursor items { id column_values(ids: $cols) { id text } } } } }';
const NEXT = 'query ($cursor: String!, $limit: Int, $cols: [String!]) { next_items_page(cursor: $cursor, limit: $limit) { cursor items { id column_values(ids: $cols) { id text } } } }';
const VALUES_PER_QUERY = 50;

interface FoundPage {
  cursor: string | null;
  items: { id: string; column_values: { id: string; text: string | null }[] }[];
}

/** Lower-cased value → the id of the first (oldest) item holding it. */
export async function findItems(ctx: ConnectorContext, boardId: string, column: BoardColumn, values: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const wanted = [...new Set(values)];
  for (let i = 0; i < wanted.length; i += VALUES_PER_QUERY) {
    const chunk = wanted.slice(i, i + VALUES_PER_QUERY);
    // Monday compares cell text as stored; ask for the value as given and lower-cased.
    const compare = [...new Set(chunk.flatMap((v) => [v, v.toLowerCase()]))];
    const qp = { rules: [{ column_id: column.id, compare_value: compare, operator: 'any_of' }], operator: 'and' };
    const vars = { board: [boardId], limit: 500, qp, cols: [column.id] };
    let page: FoundPage | undefined = (await gql<{ boards: { items_page: FoundPage }[] }>(ctx, FIND, vars, { idempotent: true, cost: readCost(500, 1) })).boards[0]?.items_page;
    while (page) {
      for (const item of page.items) {
        const text = item.column_values[0]?.text?.trim().toLowerCase();
        if (text && !found.has(text)) found.set(text, String(item.id));
      }
      page = page.cursor
        ? (await gql<{ next_items_page: FoundPage }>(ctx, NEXT, { cursor: page.cursor, limit: 500, cols: [column.id] }, { idempotent: true, cost: readCost(500, 1) })).next_items_page
        : undefined;
    }
  }
  return found;
}
