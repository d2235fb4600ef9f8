import type { FastifyInstance, FastifyReply } from 'fastify';
import { bearerOf } from '../core/oauth.ts';
import { RateWindow } from '../core/rate-window.ts';
import { sendError } from './errors.ts';
import type { NotionCtx } from './knobs.ts';

/**
 * What every `/v1/` call passes before its handler: a bearer token, the
 * `Notion-Version` header, and the per-token request window. The OAuth
 * endpoints authenticate with Basic client credentials instead.
 */
export function sendRateLimited(reply: FastifyReply, retryAfterSec: number): FastifyReply {
  reply.header('retry-after', String(retryAfterSec));
  return sendError(reply, 429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.');
}

function windowOf(ctx: NotionCtx): RateWindow {
  const w = ctx.state.window;
  if (w && w.limit === ctx.knobs.rateLimit && w.windowMs === ctx.knobs.rateWindowMs) return w;
  ctx.state.window = new RateWindow(ctx.knobs.rateLimit, ctx.knobs.rateWindowMs);
  return ctx.state.window;
}

/** The API version of a request (header value, or the SDK's default when absent and allowed). */
export const versionOf = (header: unknown): string => (typeof header === 'string' && header ? header : '2022-06-28');

export function registerGuard(app: FastifyInstance, ctx: NotionCtx): void {
  app.addHook('preHandler', async (req, reply) => {
    if (!req.url.startsWith('/v1/') || req.url.startsWith('/v1/oauth/')) return;
    const token = bearerOf(req.headers.authorization);
    const grant = ctx.oauth.check(token);
    if (grant.state !== 'ok' || !token) return sendError(reply, 401, 'unauthorized', 'API token is invalid.');
    const version = req.headers['notion-version'];
    if (ctx.knobs.requireVersionHeader && (typeof version !== 'string' || version === '')) {
      return sendError(reply, 400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
    }
    const take = windowOf(ctx).take(token);
    if (!take.ok) return sendRateLimited(reply, Math.max(1, Math.ceil(take.resetMs / 1000)));
  });
}
