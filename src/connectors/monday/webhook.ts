import type { WebhookChange, WebhookEventInput } from '../types.ts';

/**
 * Monday posts `{ "event": { type, boardId, pulseId, … } }`. Every item
 * event names the item (`pulseId`) and its board, which the items model
 * needs as its `boardId` parameter. The challenge handshake carries no
 * event and yields nothing.
 */
const DELETIONS = new Set(['delete_pulse', 'archive_pulse', 'item_deleted', 'item_archived']);

export function changesFromWebhook(input: WebhookEventInput): WebhookChange[] {
  const event = (input.body as { event?: Record<string, unknown> } | null)?.event;
  if (!event || typeof event !== 'object') return [];
  const id = event.pulseId ?? event.itemId;
  const boardId = event.boardId;
  if ((typeof id !== 'number' && typeof id !== 'string') || (typeof boardId !== 'number' && typeof boardId !== 'string')) return [];
  const type = typeof event.type === 'string' ? event.type : input.type;
  const change: WebhookChange = { model: 'items', id: String(id), params: { boardId: String(boardId) } };
  return [DELETIONS.has(type) ? { ...change, deleted: true } : change];
}
