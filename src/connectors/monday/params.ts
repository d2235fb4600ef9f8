import type { ConnectorContext } from '../types.ts';

/** The items model reads and writes one board, named by the `boardId` parameter. */
export function boardIdOf(ctx: ConnectorContext): string {
  const raw = ctx.params.boardId;
  if ((typeof raw !== 'string' && typeof raw !== 'number') || String(raw).trim() === '') {
    throw new Error('monday items: the `boardId` parameter is required');
  }
  return String(raw).trim();
}
