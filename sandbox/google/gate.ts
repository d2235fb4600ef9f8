import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerOf } from '../core/oauth.ts';
import { RateWindow } from '../core/rate-window.ts';
import type { FakeContext } from '../core/server.ts';
import { googleError, INVALID_CREDENTIALS, MISSING_CREDENTIALS, quotaExceeded } from './errors.ts';
import type { GoogleKnobs } from './knobs.ts';
import type { GoogleState } from './store.ts';

/**
 * Bearer-token check and the per-user per-minute quota in front of the
 * Sheets and Drive routes. Reads and writes have separate budgets.
 */
type Ctx = FakeContext<GoogleState, GoogleKnobs>;

export interface GoogleCaller {
  account: string;
  scope: string;
}

const callers = new WeakMap<FastifyRequest, GoogleCaller>();
export const callerOf = (req: FastifyRequest): GoogleCaller => callers.get(req) ?? { account: '', scope: '' };
const quotas = new WeakMap<Ctx, { read: RateWindow; write: RateWindow }>();

/** Every user's read and write budget starts over (core /_sandbox/reset and the quota alias). */
export function resetQuotas(ctx: Ctx): void {
  const q = quotas.get(ctx);
  q?.read.reset();
  q?.write.reset();
}

const isApi = (url: string) => url.startsWith('/v4/') || url.startsWith('/drive/');

export function hasScope(scope: string, wanted: 'read' | 'write', area: 'sheets' | 'drive'): boolean {
  const granted = scope.split(/\s+/);
  const base = 'https://www.googleapis.com/auth/';
  const full = [`${base}drive`, ...(area === 'sheets' ? [`${base}spreadsheets`] : [`${base}drive.file`])];
  const read = [...full, `${base}drive.readonly`, ...(area === 'sheets' ? [`${base}spreadsheets.readonly`] : [])];
  return granted.some((g) => (wanted === 'write' ? full : read).includes(g));
}

export function registerGate(app: FastifyInstance, ctx: Ctx): void {
  const q = { read: new RateWindow(ctx.knobs.readPerMinutePerUser, ctx.knobs.quotaWindowMs), write: new RateWindow(ctx.knobs.writePerMinutePerUser, ctx.knobs.quotaWindowMs) };
  quotas.set(ctx, q);
  app.addHook('preHandler', async (req, reply) => {
    if (!isApi(req.url)) return;
    const token = bearerOf(req.headers.authorization);
    const checked = ctx.oauth.check(token);
    if (checked.state === 'missing') return googleError(reply, 401, MISSING_CREDENTIALS);
    if (checked.state !== 'ok') return googleError(reply, 401, INVALID_CREDENTIALS);
    callers.set(req, { account: checked.grant.account, scope: checked.grant.scope });
    const kind = req.method === 'GET' ? 'read' : 'write';
    const win = q[kind];
    // Knobs may change at run time; the window follows them.
    win.limit = kind === 'read' ? ctx.knobs.readPerMinutePerUser : ctx.knobs.writePerMinutePerUser;
    win.windowMs = ctx.knobs.quotaWindowMs;
    if (!win.take(checked.grant.account).ok) return quotaExceeded(reply, kind === 'read' ? 'Read' : 'Write');
  });
  // Sheets has no paged lists; the malformed-page fault breaks the next value read instead.
  app.addHook('onSend', async (req, _reply, payload) => {
    if (req.method !== 'GET' || !req.url.startsWith('/v4/') || typeof payload !== 'string' || !payload.includes('"range"')) return payload;
    return ctx.takeMalformed() ? payload.slice(0, Math.floor(payload.length / 2)) : payload;
  });
}
