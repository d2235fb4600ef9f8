import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import type { OutgoingDelivery, Subscription } from '../core/webhook-sender.ts';
import { googleError } from './errors.ts';
import { callerOf, hasScope } from './gate.ts';
import type { GoogleKnobs } from './knobs.ts';
import type { Channel, GoogleState } from './store.ts';

/**
 * Drive push notifications for a file: `files/{id}/watch` opens a channel,
 * the first message says `sync`, later changes say `update` with
 * `X-Goog-Changed`. Messages carry no body and no signature; the channel
 * token echoed back is the only proof of origin. Each channel is also a
 * core webhook subscription so deliveries show up in the shared log.
 */
type Ctx = FakeContext<GoogleState, GoogleKnobs>;

const resourceIdFor = (fileId: string) => createHash('sha1').update(`resource:${fileId}`).digest('base64url').slice(0, 27);

function headersFor(ctx: Ctx, ch: Channel, state: string, messageNumber: number, changed?: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=UTF-8',
    'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
    'x-goog-channel-id': ch.id,
    ...(ch.token !== undefined ? { 'x-goog-channel-token': ch.token } : {}),
    'x-goog-channel-expiration': new Date(ch.expiration).toUTCString(),
    'x-goog-resource-id': ch.resourceId,
    'x-goog-resource-uri': `${ctx.baseUrl()}/drive/v3/files/${ch.fileId}?acknowledgeAbuse=false&supportsAllDrives=false&supportsTeamDrives=false&alt=json`,
    'x-goog-resource-state': state,
    'x-goog-message-number': String(messageNumber),
    ...(changed ? { 'x-goog-changed': changed } : {}),
  };
}

/** A signer that numbers each channel's messages once, so a retry repeats the same number. */
function signer(ctx: Ctx, state: string, changed?: string) {
  const numbers = new Map<string, number>();
  return (sub: Subscription): OutgoingDelivery => {
    const ch = ctx.state.channels.get(sub.id);
    if (!ch) return { url: sub.url, headers: {}, body: '' };
    let n = numbers.get(ch.id);
    if (n === undefined) {
      n = ch.nextMessage++;
      numbers.set(ch.id, n);
    }
    return { url: sub.url, headers: headersFor(ctx, ch, state, n, changed), body: '' };
  };
}

function sweepExpired(ctx: Ctx): void {
  for (const ch of ctx.state.channels.values()) {
    if (ch.expiration > Date.now()) continue;
    ctx.state.channels.delete(ch.id);
    ctx.webhooks.subscriptions.delete(ch.id);
  }
}

/** Tells every live channel on the file that it changed. */
export async function notifyChange(ctx: Ctx, fileId: string, changed = 'content'): Promise<void> {
  sweepExpired(ctx);
  await ctx.webhooks.emit(`file:${fileId}`, '', signer(ctx, 'update', changed), { retryDelaysMs: ctx.knobs.pushRetryDelaysMs });
}

export function registerDrivePush(app: FastifyInstance, ctx: Ctx): void {
  app.post('/drive/v3/files/:fileId/watch', async (req, reply) => {
    const { fileId } = req.params as { fileId: string };
    if (!hasScope(callerOf(req).scope, 'read', 'drive') && !hasScope(callerOf(req).scope, 'read', 'sheets')) return googleError(reply, 403, 'Request had insufficient authentication scopes.');
    if (!ctx.state.spreadsheets.has(fileId)) return googleError(reply, 404, `File not found: ${fileId}.`);
    const b = (req.body ?? {}) as { id?: string; type?: string; address?: string; token?: string; expiration?: string | number };
    if (!b.id || !b.address) return googleError(reply, 400, 'Required parameter: ' + (b.id ? 'address' : 'id'));
    if (b.type !== 'web_hook' && b.type !== 'webhook') return googleError(reply, 400, `Invalid value for: ${b.type ?? ''} is not a valid value`);
    if (!/^https?:\/\//.test(b.address)) return googleError(reply, 400, `Invalid address: ${b.address}`);
    if (ctx.state.channels.has(b.id)) return googleError(reply, 400, `Channel id ${b.id} not unique`);
    const now = Date.now();
    const max = now + ctx.knobs.channelMaxTtlSec * 1000;
    const asked = b.expiration !== undefined ? Number(b.expiration) : now + ctx.knobs.channelDefaultTtlSec * 1000;
    const ch: Channel = { id: b.id, fileId, resourceId: resourceIdFor(fileId), address: b.address, ...(b.token !== undefined ? { token: b.token } : {}), expiration: Math.min(asked, max), nextMessage: 1 };
    ctx.state.channels.set(ch.id, ch);
    const sub = ctx.webhooks.subscribe({ id: ch.id, url: ch.address, events: [`file:${fileId}`], secret: ch.token ?? '' });
    // The sync message goes to the new channel only, once.
    await ctx.webhooks.emit(`file:${fileId}`, '', signer(ctx, 'sync'), { only: (s) => s.id === sub.id, retryDelaysMs: [] });
    return {
      kind: 'api#channel', id: ch.id, resourceId: ch.resourceId,
      resourceUri: `${ctx.baseUrl()}/drive/v3/files/${fileId}?acknowledgeAbuse=false&supportsAllDrives=false&supportsTeamDrives=false&alt=json`,
      ...(ch.token !== undefined ? { token: ch.token } : {}), expiration: String(ch.expiration),
    };
  });

  app.post('/drive/v3/channels/stop', async (req, reply) => {
    const b = (req.body ?? {}) as { id?: string; resourceId?: string };
    const ch = b.id ? ctx.state.channels.get(b.id) : undefined;
    if (!ch || ch.resourceId !== b.resourceId) return googleError(reply, 404, `Channel '${b.id ?? ''}' not found for project '123456789012'`);
    ctx.state.channels.delete(ch.id);
    ctx.webhooks.subscriptions.delete(ch.id);
    return reply.code(204).send();
  });

  app.get('/drive/v3/files/:fileId', async (req, reply) => {
    const { fileId } = req.params as { fileId: string };
    const ss = ctx.state.spreadsheets.get(fileId);
    if (!ss) return googleError(reply, 404, `File not found: ${fileId}.`);
    return { kind: 'drive#file', id: ss.id, name: ss.title, mimeType: 'application/vnd.google-apps.spreadsheet', modifiedTime: ss.modifiedTime };
  });
}

