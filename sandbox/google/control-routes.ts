import type { FastifyInstance } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { notifyChange } from './drive-push.ts';
import type { GoogleKnobs } from './knobs.ts';
import { resetQuotas } from './gate.ts';
import type { GoogleState } from './store.ts';
import { RangeError400, resolve, writeValues } from './values.ts';

/** A person typing into the sheet: `/_sandbox/google/...`. Changes fire Drive push `update`s. */
type Ctx = FakeContext<GoogleState, GoogleKnobs>;

export function registerControlRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.put('/_sandbox/google/spreadsheets/:id/values', async (req, reply) => {
    const ss = ctx.state.spreadsheets.get((req.params as { id: string }).id);
    if (!ss) return reply.code(404).send({ error: 'no such spreadsheet' });
    const b = (req.body ?? {}) as { range?: string; values?: unknown[][] };
    try {
      const bounds = resolve(ss, b.range ?? 'A1');
      const res = writeValues(bounds.sheet, bounds.r0, bounds.c0, b.values ?? [], 'ROWS', 'USER_ENTERED');
      ss.modifiedTime = new Date().toISOString();
      await notifyChange(ctx, ss.id);
      return res;
    } catch (err) {
      if (err instanceof RangeError400) return reply.code(400).send({ error: err.message });
      throw err;
    }
  });

  // Kept as an alias: POST /_sandbox/reset clears the quotas too, along with everything else.
  app.post('/_sandbox/google/quota/reset', async () => {
    resetQuotas(ctx);
    return { ok: true };
  });

  app.post('/_sandbox/google/tokens', async (req) => {
    const b = (req.body ?? {}) as { account?: string; scope?: string; ttlSec?: number | null };
    return ctx.oauth.mint('sandbox-client', b.account ?? 'sandbox-user@example.com', b.scope ?? 'https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/drive', false, b.ttlSec === undefined ? ctx.oauth.knobs.accessTokenTtlSec : b.ttlSec);
  });
}
