import type { ProviderClient } from '../../http-client/index.ts';
import type { ConnectorContext } from '../types.ts';
import { gql } from './graphql.ts';

/**
 * A board's columns (id → type), needed to write typed cells given without
 * their type and to pick the column a `matchField` names. Cached per
 * connection and board: in `ctx.cache` when the host gives one, else in this
 * module per client.
 */
export interface BoardColumn {
  id: string;
  title: string;
  type: string;
}

const TTL_MS = 5 * 60_000;
const NAMESPACE = 'monday-columns';
const local = new WeakMap<ProviderClient, Map<string, { columns: BoardColumn[]; at: number }>>();

async function fetchColumns(ctx: ConnectorContext, boardId: string): Promise<BoardColumn[]> {
  const data = await gql<{ boards: { columns: BoardColumn[] | null }[] }>(ctx, 'query ($board: [ID!]) { boards(ids: $board) { columns { id title type } } }', { board: [boardId] }, { idempotent: true, cost: 50 });
  const board = data.boards[0];
  if (!board) throw new Error(`monday: board ${boardId} not found`);
  return board.columns ?? [];
}

export async function boardColumns(ctx: ConnectorContext, boardId: string): Promise<BoardColumn[]> {
  if (ctx.cache) return ctx.cache.readThrough(NAMESPACE, ctx.connection.tenantId, `${ctx.connection.id}:${boardId}`, TTL_MS, () => fetchColumns(ctx, boardId));
  const byBoard = local.get(ctx.client) ?? new Map<string, { columns: BoardColumn[]; at: number }>();
  local.set(ctx.client, byBoard);
  const hit = byBoard.get(boardId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.columns;
  const columns = await fetchColumns(ctx, boardId);
  byBoard.set(boardId, { columns, at: Date.now() });
  return columns;
}
