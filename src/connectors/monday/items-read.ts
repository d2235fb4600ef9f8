import type { ChangePage, ConnectorContext, ListOptions, RecordChange } from '../types.ts';
import { gql, readCost } from './graphql.ts';
import { ITEM_FIELDS, itemChange, type MondayItem, type RawItem } from './normalise.ts';
import { boardIdOf } from './params.ts';

/**
 * Items of one board through `items_page`, then root `next_items_page`
 * (cheaper than nesting under boards). Monday has no documented
 * "changed since" filter on items (the `__last_updated__` rule is
 * unconfirmed upstream), so every list is a full read and the engine diffs
 * by hash: the model is not incremental and `since` is ignored. A Monday
 * cursor lives 60 minutes from the first page.
 */
export const ITEMS_PAGE_MAX = 500;
const DEFAULT_PAGE = 100;

interface ItemsCursor {
  boardId: string;
  /** Monday's own cursor. */
  c: string;
  start: number;
}

interface ItemsPage {
  cursor: string | null;
  items: RawItem[];
}

const FIRST = `query ($board: [ID!], $limit: Int) { boards(ids: $board) { items_page(limit: $limit) { cursor items { ${ITEM_FIELDS} } } } }`;
const NEXT = `query ($cursor: String!, $limit: Int) { next_items_page(cursor: $cursor, limit: $limit) { cursor items { ${ITEM_FIELDS} } } }`;

function decode(cursor: string): ItemsCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as ItemsCursor;
    if (typeof c.c === 'string' && typeof c.boardId === 'string') return c;
  } catch (_err) {
    // fall through to the error below
  }
  throw new Error('monday items: malformed list cursor');
}

export async function listItems(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<MondayItem>> {
  const boardId = boardIdOf(ctx);
  const limit = Math.max(1, Math.min(opts.pageSize ?? DEFAULT_PAGE, ITEMS_PAGE_MAX));
  const state = opts.cursor ? decode(opts.cursor) : undefined;
  if (state && state.boardId !== boardId) throw new Error('monday items: the cursor belongs to another board');
  const start = state?.start ?? Date.now();
  let page: ItemsPage;
  if (state) {
    page = (await gql<{ next_items_page: ItemsPage }>(ctx, NEXT, { cursor: state.c, limit }, { idempotent: true, cost: readCost(limit) })).next_items_page;
  } else {
    const data = await gql<{ boards: { items_page: ItemsPage }[] }>(ctx, FIRST, { board: [boardId], limit }, { idempotent: true, cost: readCost(limit) });
    const board = data.boards[0];
    if (!board) throw new Error(`monday items: board ${boardId} not found`);
    page = board.items_page;
  }
  const next = page.cursor ? Buffer.from(JSON.stringify({ boardId, c: page.cursor, start } satisfies ItemsCursor), 'utf8').toString('base64url') : null;
  return {
    records: page.items.map((i) => itemChange(i, boardId)),
    deletedIds: [],
    nextCursor: next,
    ...(next ? {} : { watermark: new Date(start).toISOString() }),
  };
}

const BY_IDS = `query ($ids: [ID!], $limit: Int) { items(ids: $ids, limit: $limit) { ${ITEM_FIELDS} } }`;

/** Active items only: archived and deleted items are gone as far as a sync is concerned. */
export async function getItems(ctx: ConnectorContext, ids: string[]): Promise<RecordChange<MondayItem>[]> {
  const out: RecordChange<MondayItem>[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const data = await gql<{ items: RawItem[] | null }>(ctx, BY_IDS, { ids: chunk, limit: chunk.length }, { idempotent: true, cost: readCost(chunk.length) });
    for (const raw of data.items ?? []) if (!raw.state || raw.state === 'active') out.push(itemChange(raw));
  }
  return out;
}

export async function getItem(ctx: ConnectorContext, id: string): Promise<RecordChange<MondayItem> | undefined> {
  const [found] = await getItems(ctx, [id]);
  const boardId = ctx.params.boardId;
  if (found && boardId !== undefined && boardId !== null && String(boardId) !== '' && found.record.boardId !== String(boardId)) return undefined;
  return found;
}
