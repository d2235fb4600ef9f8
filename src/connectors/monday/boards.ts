import type { ChangePage, ConnectorContext, ListOptions, ModelSpec, RecordChange } from '../types.ts';
import { gql, readCost } from './graphql.ts';
import { BOARD_FIELDS, boardChange, boardSchema, type MondayBoard } from './normalise.ts';

/**
 * Boards, read-only: `boards(limit, page)` is page-numbered, and a page
 * shorter than the limit is the last. Boards carry their columns and groups,
 * which is what a mapping needs to know about a board.
 */
const PAGE = 50;
const LIST = `query ($limit: Int, $page: Int) { boards(limit: $limit, page: $page) { ${BOARD_FIELDS} } }`;
const ONE = `query ($ids: [ID!]) { boards(ids: $ids) { ${BOARD_FIELDS} } }`;

async function listBoards(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<MondayBoard>> {
  const limit = Math.max(1, Math.min(opts.pageSize ?? PAGE, 100));
  const page = opts.cursor ? Number(opts.cursor) : 1;
  if (!Number.isInteger(page) || page < 1) throw new Error('monday boards: malformed list cursor');
  const data = await gql<{ boards: MondayBoard[] }>(ctx, LIST, { limit, page }, { idempotent: true, cost: readCost(limit, 20) });
  const last = data.boards.length < limit;
  return {
    records: data.boards.map(boardChange),
    deletedIds: [],
    nextCursor: last ? null : String(page + 1),
    ...(last ? { watermark: new Date().toISOString() } : {}),
  };
}

async function getBoard(ctx: ConnectorContext, id: string): Promise<RecordChange<MondayBoard> | undefined> {
  const data = await gql<{ boards: MondayBoard[] }>(ctx, ONE, { ids: [id] }, { idempotent: true, cost: readCost(1, 20) });
  const board = data.boards[0];
  return board ? boardChange(board) : undefined;
}

export const boardsModel: ModelSpec<MondayBoard> = {
  name: 'boards',
  description: 'Boards with their columns and groups (read-only)',
  schema: boardSchema,
  batchLimit: 1,
  incremental: false,
  list: listBoards,
  get: getBoard,
};
