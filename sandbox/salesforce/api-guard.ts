import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerOf } from '../core/oauth.ts';
import { fail, invalidSession, notFound, sendResult, sfError } from './errors.ts';
import type { SfCtx } from './state.ts';

/**
 * What every `/services/data/vXX.X/...` call passes through: the version must
 * exist, the session must be valid, and the org's rolling API budget must have
 * room. Each answer carries `Sforce-Limit-Info: api-usage=used/max`.
 */
export const MIN_VERSION = 31;

export function versionOf(req: FastifyRequest): number {
  const m = /^v(\d+)\.0$/.exec((req.params as { ver?: string }).ver ?? '');
  return m ? Number(m[1]) : NaN;
}

export function apiUsageHeader(ctx: SfCtx, used: number): string {
  return `api-usage=${used}/${ctx.knobs.dailyApiLimit}`;
}

export function sendLimitExceeded(reply: FastifyReply, ctx: SfCtx): void {
  reply.header('Sforce-Limit-Info', apiUsageHeader(ctx, ctx.knobs.dailyApiLimit));
  sendResult(reply, fail(ctx.knobs.limitExceededStatus, sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')));
}

/** Reads `Authorization: Bearer x` or Salesforce's older `Authorization: OAuth x`. */
export function sessionOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return bearerOf(h) ?? (h ? /^OAuth\s+(.+)$/i.exec(h.trim())?.[1] : undefined);
}

export function apiGuard(ctx: SfCtx) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const v = versionOf(req);
    if (!(v >= MIN_VERSION && v <= ctx.knobs.latestVersion)) return sendResult(reply, notFound());
    const session = ctx.oauth.check(sessionOf(req));
    if (session.state !== 'ok') return sendResult(reply, invalidSession());
    return spend(ctx, reply);
  };
}

/** Counts one API request against the org; answers REQUEST_LIMIT_EXCEEDED when the window is full. */
export function spend(ctx: SfCtx, reply: FastifyReply): FastifyReply | undefined {
  const w = ctx.state.api;
  w.limit = ctx.knobs.dailyApiLimit;
  w.windowMs = ctx.knobs.apiWindowMs;
  const r = w.take('org');
  if (!r.ok) {
    sendLimitExceeded(reply, ctx);
    return reply;
  }
  ctx.state.apiRemaining = r.remaining;
  reply.header('Sforce-Limit-Info', apiUsageHeader(ctx, w.limit - r.remaining));
  return undefined;
}
