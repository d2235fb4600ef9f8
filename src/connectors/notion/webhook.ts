import type { WebhookChange, WebhookEventInput } from '../types.ts';

/**
 * Notion events are signals: they name the page and its parent database,
 * and the page itself is fetched afterwards. Property and creation events
 * become a change to re-read, `page.deleted` a deletion. Content (block)
 * edits, moves and database-level events do not touch a page's properties
 * and are ignored.
 */
const CHANGED = new Set(['page.created', 'page.properties_updated', 'page.undeleted']);
const DELETED = new Set(['page.deleted']);

interface NotionEvent { type?: string; entity?: { id?: string; type?: string }; data?: { parent?: { id?: string; type?: string } } }

export function pagesFromWebhook(event: WebhookEventInput): WebhookChange[] {
  const body = (event.body ?? {}) as NotionEvent;
  const type = body.type ?? event.type;
  const id = body.entity?.id;
  if (!id || body.entity?.type !== 'page' || (!CHANGED.has(type) && !DELETED.has(type))) return [];
  const parent = body.data?.parent;
  const params = parent?.id && parent.type === 'database' ? { params: { databaseId: parent.id } } : {};
  return [{ model: 'pages', id, ...(DELETED.has(type) ? { deleted: true } : {}), ...params }];
}
