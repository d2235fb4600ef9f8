import type { WebhookChange, WebhookEventInput } from '../types.ts';

/**
 * The plugin-style webhook (WP Webhooks' shape, as the sandbox sends it):
 * the trigger in `X-WP-Webhook-Trigger` (or the event type), the post in
 * `post` as a WP_Post row. `post_type` picks the model: `post` → posts,
 * `page` → pages, anything else → items with `params.postType` (the
 * model resolves the REST base from /wp/v2/types). Trash and delete both
 * take the post out of what the models read (they read `status=any`,
 * which excludes the trash), so both are deletions.
 */
interface WpWebhook { post_id?: number | string; post?: { ID?: number | string; post_type?: string } }

const DELETED = new Set(['post_trash', 'post_delete']);
const CHANGED = new Set(['post_create', 'post_update', 'post_untrash']);

export function fromWordPressWebhook(event: WebhookEventInput): WebhookChange[] {
  const body = (event.body ?? {}) as WpWebhook;
  const trigger = event.headers['x-wp-webhook-trigger'] ?? event.type;
  const id = body.post_id ?? body.post?.ID;
  if (id === undefined || (!DELETED.has(trigger) && !CHANGED.has(trigger))) return [];
  const type = body.post?.post_type ?? 'post';
  if (type === 'attachment' || type === 'revision') return [];
  const deleted = DELETED.has(trigger) ? { deleted: true } : {};
  if (type === 'post') return [{ model: 'posts', id: String(id), ...deleted }];
  if (type === 'page') return [{ model: 'pages', id: String(id), ...deleted }];
  return [{ model: 'items', id: String(id), ...deleted, params: { postType: type } }];
}
