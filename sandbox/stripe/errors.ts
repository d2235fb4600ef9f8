import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** Stripe's error envelope: `{error:{type, message, code?, param?, doc_url?, request_log_url?}}`. */
export interface StripeError {
  type: 'invalid_request_error' | 'api_error' | 'card_error' | 'idempotency_error';
  message: string;
  code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
}

export const requestId = (): string => `req_${randomBytes(7).toString('hex')}`;

export function sendStripeError(reply: FastifyReply, status: number, error: StripeError): FastifyReply {
  const id = requestId();
  const withLinks = error.code
    ? { ...error, doc_url: `https://stripe.com/docs/error-codes/${error.code.replaceAll('_', '-')}`, request_log_url: `https://dashboard.stripe.com/test/logs/${id}` }
    : error;
  return reply.code(status).header('request-id', id).send({ error: withLinks });
}

export const missing = (reply: FastifyReply, resource: string, id: string): FastifyReply =>
  sendStripeError(reply, 404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such ${resource}: '${id}'` });

export const invalidParam = (reply: FastifyReply, param: string, message: string): FastifyReply =>
  sendStripeError(reply, 400, { type: 'invalid_request_error', code: 'parameter_invalid', param, message });

export function rateLimitBody(): { error: StripeError } {
  return {
    error: {
      type: 'invalid_request_error', code: 'rate_limit',
      message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
      doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
    },
  };
}
