import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Subscription } from '../core/webhook-sender.ts';
import { webhookValueOf } from './column-values.ts';
import type { MondayCtx } from './knobs.ts';
import { accountUser, type Board, type Column, type Item } from './store.ts';

/**
 * Outgoing Monday webhooks: the one-time challenge handshake, and deliveries
 * `{"event":{...}}` with a JWT in `Authorization` (HS256 over the app's
 * signing secret, `aud` = the endpoint URL, plus a `shortLivedToken`).
 * Subscriptions made with `create_webhook` are scoped to a board and event
 * (and a column for `change_specific_column_value`); ones registered through
 * the core control route match by event name (empty = all).
 */
export type ItemChange =
  | { kind: 'create_item'; board: Board; item: Item }
  | { kind: 'change_column_value'; board: Board; item: Item; column: Column; value: unknown; previous: unknown }
  | { kind: 'change_name'; board: Board; item: Item; previousName: string }
  | { kind: 'item_deleted' | 'item_archived'; board: Board; item: Item };

/** The subscription event names one change satisfies, most specific last. */
function subscriptionEvents(change: ItemChange): string[] {
  if (change.kind !== 'change_column_value') return [change.kind];
  const events = ['change_column_value', 'change_specific_column_value'];
  if (change.column.type === 'status') events.push('change_status_column_value');
  return events;
}

function payloadOf(ctx: MondayCtx, change: ItemChange): Record<string, unknown> {
  const { board, item } = change;
  const group = board.groups.find((g) => g.id === item.groupId);
  const base = {
    app: 'monday',
    triggerTime: new Date().toISOString(),
    userId: Number(accountUser(ctx.state).id),
    originalTriggerUuid: null,
    boardId: Number(board.id),
    triggerUuid: randomBytes(16).toString('hex'),
  };
  const pulse = { pulseId: Number(item.id), pulseName: item.name, groupId: item.groupId, isTopGroup: board.groups[0]?.id === item.groupId };
  switch (change.kind) {
    case 'create_item':
      return { ...base, type: 'create_pulse', ...pulse, groupName: group?.title ?? '', groupColor: group?.color ?? '#579bfc', columnValues: {} };
    case 'change_column_value':
      return {
        ...base, type: 'update_column_value', ...pulse,
        columnId: change.column.id, columnType: change.column.type, columnTitle: change.column.title,
        value: webhookValueOf(change.column, change.value), previousValue: webhookValueOf(change.column, change.previous),
        changedAt: Date.now() / 1000,
      };
    case 'change_name':
      return { ...base, type: 'update_name', ...pulse, value: { name: item.name }, previousValue: { name: change.previousName } };
    case 'item_deleted':
    case 'item_archived':
      return { ...base, type: change.kind === 'item_deleted' ? 'delete_pulse' : 'archive_pulse', itemId: Number(item.id), itemName: item.name };
  }
}

/** Which subscriptions a change reaches, and under which event name each matched. */
function targetsOf(ctx: MondayCtx, change: ItemChange): Map<string, Subscription[]> {
  const events = subscriptionEvents(change);
  const byEvent = new Map<string, Subscription[]>();
  const add = (event: string, sub: Subscription) => byEvent.set(event, [...(byEvent.get(event) ?? []), sub]);
  for (const sub of ctx.webhooks.subscriptions.values()) {
    const scoped = ctx.state.webhooks.get(sub.id);
    if (scoped) {
      if (scoped.boardId !== change.board.id || !events.includes(scoped.event)) continue;
      if (scoped.event === 'change_specific_column_value' && change.kind === 'change_column_value'
        && scoped.config?.columnId !== change.column.id) continue;
      add('', sub);
    } else if (sub.events.length === 0) {
      add('', sub);
    } else {
      const hit = events.find((e) => sub.events.includes(e) && (e !== 'change_specific_column_value'));
      if (hit) add(hit, sub);
    }
  }
  return byEvent;
}

async function jwtFor(ctx: MondayCtx, sub: Subscription): Promise<string> {
  const secret = ctx.state.webhooks.has(sub.id) || !sub.secret ? ctx.knobs.signingSecret : sub.secret;
  const ttl = ctx.knobs.webhookJwtTtlSec;
  const user = accountUser(ctx.state);
  const shortLived = ctx.oauth.mint('sandbox-app', String(ctx.state.accountId), 'boards:read boards:write', false, ttl);
  return new SignJWT({ accountId: ctx.state.accountId, userId: Number(user.id), shortLivedToken: shortLived.access_token })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(sub.url)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`)
    .sign(new TextEncoder().encode(secret));
}

/** Fires one change to every matching subscription; resolves when first attempts are done. */
export async function deliverChange(ctx: MondayCtx, change: ItemChange): Promise<void> {
  const groups = targetsOf(ctx, change);
  if (groups.size === 0) return;
  const payload = payloadOf(ctx, change);
  // Each attempt gets a fresh JWT (and short-lived token), as a retry is a new request.
  const sign = async (sub: Subscription) => ({
    url: sub.url,
    headers: { 'content-type': 'application/json', authorization: await jwtFor(ctx, sub) },
    body: JSON.stringify({ event: { ...payload, subscriptionId: Number(sub.id) || sub.id } }),
  });
  const template = JSON.stringify({ event: payload });
  await Promise.all([...groups].map(([event, subs]) => {
    const ids = new Set(subs.map((s) => s.id));
    return ctx.webhooks.emit(event || change.kind, template, sign, { only: (s) => ids.has(s.id) });
  }));
}

/** Monday's handshake: POST `{"challenge": ...}` and expect the same JSON echoed with 200. */
export async function challenge(url: string, timeoutMs = 5000): Promise<{ ok: boolean; status: number | null; challenge: string; error?: string }> {
  const token = randomUUID();
  try {
    const res = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challenge: token }), signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let echoed: unknown;
    try {
      echoed = JSON.parse(text);
    } catch (_e) {
      return { ok: false, status: res.status, challenge: token, error: 'response is not JSON' };
    }
    const ok = res.status === 200 && (echoed as { challenge?: unknown })?.challenge === token;
    return { ok, status: res.status, challenge: token, ...(ok ? {} : { error: 'challenge was not echoed' }) };
  } catch (err) {
    return { ok: false, status: null, challenge: token, error: (err as Error).message };
  }
}
