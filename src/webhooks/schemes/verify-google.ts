/**
 * Google Drive/Sheets push channels carry no signature. Authenticity is the
 * channel token set at `watch` time, echoed in `X-Goog-Channel-Token`, which
 * must equal one of the source secrets (a source without a secret rejects
 * everything: an unauthenticated push endpoint would accept anyone's POST).
 * `channelId` / `resourceId` options pin the channel further. The first
 * message on a channel has state `sync` and is answered 200 after the
 * token check. Stale: a channel past `X-Goog-Channel-Expiration` (plus the
 * tolerance) no longer exists at Google, so its messages are replays.
 * The body is usually empty and is not authenticated by anything.
 */
import { z } from 'zod';
import type { WebhookScheme } from './types.ts';
import { safeEqual, verifyAgainstSecrets } from './crypto.ts';
import { parseWith, toleranceSec } from './options.ts';
import { header } from './request.ts';
import { invalid, missing, stale } from './result.ts';
import { DEFAULT_TOLERANCE_SEC } from './window.ts';

const Options = z
  .object({
    channelId: z.string().min(1).optional(),
    resourceId: z.string().min(1).optional(),
    toleranceSec,
  })
  .strict();

export const google: WebhookScheme = {
  name: 'google',
  contentTypes: ['application/json', 'text/plain', 'application/octet-stream'],
  jsonBody: false,
  toleranceSec: DEFAULT_TOLERANCE_SEC,
  parseOptions: (options) => parseWith('google', Options, options),
  handshake(req, _ctx, verified) {
    if (!verified || header(req, 'x-goog-resource-state') !== 'sync') return undefined;
    return { status: 200, contentType: 'text/plain', body: '' };
  },
  verify(req, ctx) {
    const options = parseWith('google', Options, ctx.options);
    const token = header(req, 'x-goog-channel-token');
    if (token === undefined) return missing('X-Goog-Channel-Token');
    const signed = verifyAgainstSecrets(ctx, [token], (secret) => secret);
    if (!signed.ok) return signed;
    if (options.channelId !== undefined && !safeEqual(header(req, 'x-goog-channel-id') ?? '', options.channelId)) {
      return invalid('X-Goog-Channel-ID is not the configured channel');
    }
    if (options.resourceId !== undefined && !safeEqual(header(req, 'x-goog-resource-id') ?? '', options.resourceId)) {
      return invalid('X-Goog-Resource-ID is not the configured resource');
    }
    const expiration = header(req, 'x-goog-channel-expiration');
    const expiresAt = expiration === undefined ? Number.NaN : Date.parse(expiration);
    if (expiration !== undefined && Number.isNaN(expiresAt)) return invalid('X-Goog-Channel-Expiration is not a date');
    if (expiresAt + options.toleranceSec * 1000 < ctx.now) return stale('the channel expired before this message');
    return signed;
  },
  describe(req) {
    const state = header(req, 'x-goog-resource-state') ?? 'unknown';
    const channel = header(req, 'x-goog-channel-id');
    const number = header(req, 'x-goog-message-number');
    return { type: `drive.${state}`, ...(channel && number ? { deliveryId: `${channel}:${number}` } : {}) };
  },
};
