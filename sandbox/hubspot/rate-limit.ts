import type { FastifyReply, FastifyRequest } from 'fastify';
import { burstLimitBody, dailyLimitBody, searchLimitBody } from './errors.ts';
import type { Caller } from './auth.ts';
import type { HubSpotContext } from './knobs.ts';

/**
 * HubSpot's limits: a rolling burst window per app (100 or 190 per 10 s), a
 * daily budget per account for private apps, and the search API's separate
 * 5 per second which does not count against the burst. Every answer carries
 * the X-HubSpot-RateLimit-* headers (search only when the knob says so).
 * Returns false when it already sent a 429.
 */
export function applyRateLimit(ctx: HubSpotContext, req: FastifyRequest, reply: FastifyReply, caller: Caller): boolean {
  const { knobs, state } = ctx;
  const isSearch = req.method === 'POST' && /\/search\/?$/.test(req.url.split('?')[0] ?? '');
  if (isSearch) {
    state.search.limit = knobs.searchLimit;
    state.search.windowMs = knobs.searchWindowMs;
    const take = state.search.take(caller.grant.account);
    if (knobs.searchRateHeaders) intervalHeaders(reply, knobs.searchWindowMs, knobs.searchLimit, take.remaining);
    if (!take.ok) {
      reply.code(429).send(searchLimitBody());
      return false;
    }
    return true;
  }

  if (caller.privateApp) {
    const today = new Date().toISOString().slice(0, 10);
    const day = state.daily.get(caller.grant.account);
    const used = day && day.day === today ? day.count : 0;
    if (used >= knobs.dailyLimit) {
      reply.header('X-HubSpot-RateLimit-Daily', knobs.dailyLimit).header('X-HubSpot-RateLimit-Daily-Remaining', 0);
      reply.code(429).send(dailyLimitBody());
      return false;
    }
    state.daily.set(caller.grant.account, { day: today, count: used + 1 });
    reply.header('X-HubSpot-RateLimit-Daily', knobs.dailyLimit).header('X-HubSpot-RateLimit-Daily-Remaining', knobs.dailyLimit - used - 1);
  }

  state.burst.limit = knobs.burstLimit;
  state.burst.windowMs = knobs.burstWindowMs;
  const take = state.burst.take(caller.grant.clientId);
  intervalHeaders(reply, knobs.burstWindowMs, knobs.burstLimit, take.remaining);
  if (!take.ok) {
    reply.code(429).send(burstLimitBody());
    return false;
  }
  return true;
}

function intervalHeaders(reply: FastifyReply, windowMs: number, max: number, remaining: number): void {
  reply
    .header('X-HubSpot-RateLimit-Interval-Milliseconds', windowMs)
    .header('X-HubSpot-RateLimit-Max', max)
    .header('X-HubSpot-RateLimit-Remaining', remaining);
}
