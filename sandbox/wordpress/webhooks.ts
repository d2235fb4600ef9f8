import { createHmac } from 'node:crypto';
import type { Subscription } from '../core/webhook-sender.ts';
import type { Post, WpCtx } from './state.ts';

/**
 * Core WordPress sends no webhooks. Sites add them with plugins such as
 * WP Webhooks, which POST JSON describing the WP_Post and sign it with
 * HMAC-SHA256 of the raw body keyed by a per-endpoint secret. Header name
 * and encoding differ between plugins, so both are knobs.
 * Event types: post_create, post_update, post_trash, post_delete.
 */
export type PostEvent = 'post_create' | 'post_update' | 'post_trash' | 'post_delete';

export function signBody(secret: string, body: string, encoding: 'base64' | 'hex'): string {
  return createHmac('sha256', secret).update(body).digest(encoding);
}

export function emitPostEvent(ctx: WpCtx, event: PostEvent, p: Post): void {
  if (p.type === 'attachment') return;
  const site = ctx.baseUrl();
  const body = JSON.stringify({
    post_id: p.id,
    post: {
      ID: p.id, post_author: String(p.author), post_date: p.date.replace('T', ' '), post_date_gmt: p.date.replace('T', ' '),
      post_content: p.content, post_title: p.title, post_excerpt: p.excerpt, post_status: p.status, comment_status: 'open', ping_status: 'open',
      post_password: p.password, post_name: p.slug, post_modified: p.modified.replace('T', ' '), post_modified_gmt: p.modified.replace('T', ' '),
      post_parent: p.parent, guid: `${site}/?p=${p.id}`, menu_order: p.menuOrder, post_type: p.type, post_mime_type: p.mimeType ?? '', comment_count: '0',
    },
    post_meta: {},
    post_thumbnail: p.featuredMedia ? `${site}/?attachment_id=${p.featuredMedia}` : false,
    post_permalink: `${site}/?p=${p.id}`,
    taxonomies: p.type === 'post' ? { category: p.categories, post_tag: p.tags } : {},
  });
  const { webhookSignatureHeader, webhookSignatureEncoding } = ctx.knobs;
  void ctx.webhooks.emit(event, body, (sub: Subscription, payload: string) => ({
    url: sub.url,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': `WordPress/6.8; ${site}`,
      'X-WP-Webhook-Trigger': event,
      [webhookSignatureHeader]: signBody(sub.secret, payload, webhookSignatureEncoding),
    },
    body: payload,
  }));
}
