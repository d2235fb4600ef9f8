import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOG, HubError, type ErrorCode, type FieldError } from '../domain/errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The shared OpenAPI component every error response points at. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', description: 'urn:switchyard:problem:<code>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(ERROR_CATALOG) },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request id' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

export function sendProblem(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, detail?: string, errors: FieldError[] = []): FastifyReply {
  const entry = ERROR_CATALOG[code];
  return reply.code(entry.status).type(PROBLEM_CONTENT_TYPE).send({
    type: `urn:switchyard:problem:${code}`,
    title: entry.title,
    status: entry.status,
    code,
    ...(detail ? { detail } : {}),
    instance: req.id,
    ...(errors.length > 0 ? { errors } : {}),
  });
}

function fieldOf(context: string | undefined, instancePath: string, params: Record<string, unknown>): string {
  const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
  const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
  return `${context ?? 'body'}${instancePath}${missing}${extra}`;
}

/** Maps any thrown error to a problem+json reply; unknown errors become a 500 without internals. */
export function errorHandler(err: FastifyError & { cause?: unknown }, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof HubError) {
    if (err.status >= 500) req.log.error({ err }, 'request failed');
    for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
    return sendProblem(reply, req, err.code, err.message, err.errors);
  }
  if (err.validation) {
    const errors = err.validation.map((v) => ({
      field: fieldOf(err.validationContext, v.instancePath, v.params as Record<string, unknown>),
      message: v.message ?? 'is invalid',
    }));
    return sendProblem(reply, req, 'validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  }
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
    return sendProblem(reply, req, 'invalid_json', 'The request body is not valid JSON', [{ field: 'body', message: 'is not valid JSON' }]);
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, req, 'payload_too_large', `The body exceeds the limit of ${reply.server.initialConfig.bodyLimit} bytes`);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, req, 'unsupported_media_type', `Content type ${req.headers['content-type'] ?? '(none)'} is not accepted here`);
  if (err.statusCode === 429) return sendProblem(reply, req, 'rate_limited', err.message);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendProblem(reply, req, 'bad_request', err.message);
  req.log.error({ err }, 'unhandled error');
  return sendProblem(reply, req, 'internal', 'An internal error occurred; the request id identifies it in the logs');
}
