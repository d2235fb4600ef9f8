import { createHmac, randomUUID } from 'node:crypto';
import type { Subscription } from '../core/webhook-sender.ts';
import type { NotionCtx } from './knobs.ts';
import type { Page } from './store.ts';

/**
 * Outgoing Notion webhooks: the one-time verification POST carrying
 * `verification_token` (unsigned), then event deliveries signed with
 * `X-Notion-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the
 * verification token>`. The subscription's `secret` is that token. Events are
 * signals: they name the entity, the receiver fetches it.
 */
export type PageEvent = 'page.created' | 'page.properties_updated' | 'page.deleted' | 'page.undeleted';

export const signatureOf = (token: string, body: string): string => `sha256=${createHmac('sha256', token).update(body).digest('hex')}`;

export async function emitPageEvent(ctx: NotionCtx, type: PageEvent, page: Page, author: { id: string; type: 'person' | 'bot' }, updatedProperties?: string[]): Promise<void> {
  const s = ctx.state;
  const payload = {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    workspace_id: s.workspaceId,
    workspace_name: s.workspaceName,
    subscription_id: '',
    integration_id: s.integrationId,
    type,
    authors: [author],
    accessible_by: [{ id: s.botId, type: 'bot' }],
    attempt_number: 1,
    api_version: ctx.knobs.webhookApiVersion,
    entity: { id: page.id, type: 'page' },
    data: {
      parent: { id: page.databaseId, type: 'database', data_source_id: page.dataSourceId },
      ...(updatedProperties ? { updated_properties: updatedProperties } : {}),
    },
  };
  // Each attempt re-signs: subscription_id and attempt_number differ per delivery.
  const sign = (sub: Subscription, _body: string, _event: string, attempt: number) => {
    const body = JSON.stringify({ ...payload, subscription_id: sub.id, attempt_number: attempt + 1 });
    return { url: sub.url, body, headers: { 'content-type': 'application/json', 'x-notion-signature': signatureOf(sub.secret, body) } };
  };
  await ctx.webhooks.emit(type, JSON.stringify(payload), sign);
}

/** Sends the verification request a new Notion subscription receives. */
export async function sendVerification(url: string, token: string): Promise<{ status: number | null; error?: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verification_token: token }), signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return { status: res.status };
  } catch (err) {
    return { status: null, error: (err as Error).message };
  }
}
