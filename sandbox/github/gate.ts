import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { authenticate, type Caller } from './auth.ts';
import { ghError, DOCS } from './errors.ts';
import type { GithubKnobs } from './knobs.ts';
import { exceededMessage, FixedWindows, RATE_DOCS, setRateHeaders, type Resource } from './rate-limit.ts';
import type { GithubState } from './store.ts';

/**
 * The front door of every API route: authenticate, spend one request from
 * the caller's budget, and stamp the `x-ratelimit-*` headers on the answer,
 * errors included, as api.github.com does.
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

const callers = new WeakMap<FastifyRequest, Caller>();
const windows = new WeakMap<Ctx, FixedWindows>();

/** Every caller's budget starts over (core /_sandbox/reset and the rate-limit alias). */
export function resetRateLimits(ctx: Ctx): void {
  windows.get(ctx)?.reset();
}

export function callerOf(req: FastifyRequest): Caller {
  return callers.get(req) ?? { kind: 'anonymous', ip: req.ip };
}

const isApiPath = (url: string) => !url.startsWith('/_sandbox') && !url.startsWith('/login/oauth');

function budgetKey(c: Caller): string {
  switch (c.kind) {
    case 'anonymous': return `ip:${c.ip}`;
    case 'user': return `user:${c.userId}`;
    case 'installation': return `installation:${c.installationId}`;
    case 'app': return `app:${c.appId}`;
  }
}

function limitFor(ctx: Ctx, c: Caller, resource: Resource): number {
  if (resource === 'search') return c.kind === 'anonymous' ? Math.max(1, Math.floor(ctx.knobs.searchLimit / 3)) : ctx.knobs.searchLimit;
  if (c.kind === 'anonymous') return ctx.knobs.unauthenticatedLimit;
  return c.kind === 'installation' ? ctx.knobs.installationLimit : ctx.knobs.userLimit;
}

function subjectOf(c: Caller): string {
  switch (c.kind) {
    case 'anonymous': return c.ip;
    case 'user': return `user ID ${c.userId}`;
    case 'installation': return `installation ID ${c.installationId}`;
    case 'app': return `integration ID ${c.appId}`;
  }
}

export function sendRateLimited(ctx: Ctx, reply: FastifyReply, caller: Caller): FastifyReply {
  const base = exceededMessage(subjectOf(caller));
  const message = caller.kind === 'anonymous'
    ? `API rate limit exceeded for ${caller.ip}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`
    : base;
  return ghError(reply, ctx.knobs.rateLimitStatus, message, RATE_DOCS);
}

export function registerGate(app: FastifyInstance, ctx: Ctx): void {
  const fixed = new FixedWindows();
  windows.set(ctx, fixed);
  app.addHook('preHandler', async (req, reply) => {
    if (!isApiPath(req.url)) return;
    const auth = await authenticate(ctx, req.headers.authorization, req.ip);
    if (!auth.ok) {
      // GitHub still reports the anonymous budget on a 401.
      setRateHeaders(reply, fixed.take(`ip:${req.ip}`, 'core', ctx.knobs.unauthenticatedLimit, ctx.knobs.coreWindowMs, false).budget);
      return ghError(reply, 401, auth.message, DOCS);
    }
    const caller = auth.caller;
    callers.set(req, caller);
    const path = req.url.split('?')[0] ?? '';
    const resource: Resource = path.startsWith('/search/') ? 'search' : 'core';
    const windowMs = resource === 'search' ? ctx.knobs.searchWindowMs : ctx.knobs.coreWindowMs;
    const free = path === '/rate_limit';
    const taken = fixed.take(budgetKey(caller), resource, limitFor(ctx, caller, resource), windowMs, !free);
    setRateHeaders(reply, taken.budget);
    if (!taken.ok && !free) return sendRateLimited(ctx, reply, caller);
  });

  // The malformed-page fault cuts a list body in half, as a proxy dropping mid-response would.
  app.addHook('onSend', async (req, _reply, payload) => {
    if (req.method !== 'GET' || !isApiPath(req.url) || typeof payload !== 'string') return payload;
    const isList = payload.startsWith('[') || payload.startsWith('{"total_count"');
    if (!isList || !ctx.takeMalformed()) return payload;
    return payload.slice(0, Math.floor(payload.length / 2));
  });

  app.get('/rate_limit', async (req) => {
    const caller = callerOf(req);
    const key = budgetKey(caller);
    const core = fixed.take(key, 'core', limitFor(ctx, caller, 'core'), ctx.knobs.coreWindowMs, false).budget;
    const search = fixed.take(key, 'search', limitFor(ctx, caller, 'search'), ctx.knobs.searchWindowMs, false).budget;
    const shape = (b: typeof core) => ({ limit: b.limit, used: b.used, remaining: b.remaining, reset: b.resetSec });
    return { resources: { core: shape(core), search: shape(search) }, rate: shape(core) };
  });
}
