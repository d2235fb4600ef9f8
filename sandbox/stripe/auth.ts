import type { FastifyReply, FastifyRequest } from 'fastify';
import { basicOf, bearerOf } from '../core/oauth.ts';
import { rateLimitBody, sendStripeError } from './errors.ts';
import type { StripeContext } from './knobs.ts';

const NO_KEY = "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/** Stripe shows only the last four characters of a rejected key. */
const masked = (key: string) => `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

/**
 * Secret-key auth (Bearer, or Basic with the key as user name) and the
 * request-rate limiter. Returns false when it already answered.
 */
export function authenticateAndLimit(ctx: StripeContext, req: FastifyRequest, reply: FastifyReply): boolean {
  const key = bearerOf(req.headers.authorization) ?? basicOf(req.headers.authorization)?.id;
  if (!key) {
    sendStripeError(reply, 401, { type: 'invalid_request_error', message: NO_KEY });
    return false;
  }
  const check = ctx.oauth.check(key);
  if (check.state !== 'ok') {
    sendStripeError(reply, 401, check.state === 'expired'
      ? { type: 'invalid_request_error', code: 'api_key_expired', message: `Expired API Key provided: ${masked(key)}` }
      : { type: 'invalid_request_error', message: `Invalid API Key provided: ${masked(key)}` });
    return false;
  }
  ctx.state.rate.limit = ctx.knobs.rateLimit;
  ctx.state.rate.windowMs = ctx.knobs.rateWindowMs;
  if (!ctx.state.rate.take(key).ok) {
    reply.code(429).send(rateLimitBody());
    return false;
  }
  return true;
}
