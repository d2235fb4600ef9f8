import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendStripeError } from './errors.ts';
import type { StripeContext } from './knobs.ts';

/**
 * `Idempotency-Key` on POSTs: the first answer is stored and replayed with
 * `Idempotent-Replayed: true`; the same key on another path is an
 * idempotency_error. stripe-node sends a key on every POST, so its own
 * retries are safe against the fake too.
 */
export async function idempotent(
  ctx: StripeContext, req: FastifyRequest, reply: FastifyReply, run: () => Promise<{ status: number; body: unknown } | undefined>,
): Promise<FastifyReply> {
  const key = req.headers['idempotency-key'];
  const path = req.url.split('?')[0] ?? req.url;
  if (typeof key === 'string') {
    const seen = ctx.state.idempotency.get(key);
    if (seen && (seen.path !== path || seen.method !== req.method)) {
      return sendStripeError(reply, 400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${seen.method} ${seen.path}' vs '${req.method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (seen) return reply.code(seen.status).header('idempotent-replayed', 'true').send(seen.body);
  }
  const out = await run();
  if (!out) return reply;
  if (typeof key === 'string') ctx.state.idempotency.set(key, { method: req.method, path, status: out.status, body: out.body });
  return reply.code(out.status).send(out.body);
}
