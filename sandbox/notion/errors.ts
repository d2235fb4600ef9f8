import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Notion's error body `{object:"error", status, code, message, request_id}`.
 * Handlers throw NotionApiError; one Fastify error handler writes the body,
 * and also turns Fastify's own body-parse failures into `invalid_json`.
 */
export class NotionApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const validation = (message: string): NotionApiError => new NotionApiError(400, 'validation_error', message);

export const notFound = (kind: 'page' | 'database' | 'data source', id: string): NotionApiError =>
  new NotionApiError(404, 'object_not_found', `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);

/** Notion's codes for server-side failures. */
export const SERVER_ERROR_CODES: Record<number, string> = { 500: 'internal_server_error', 502: 'bad_gateway', 503: 'service_unavailable', 504: 'gateway_timeout' };

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ object: 'error', status, code, message, request_id: randomUUID() });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof NotionApiError) return sendError(reply, err.status, err.code, err.message);
    const e = err as { statusCode?: number; code?: string; message: string };
    if (e.statusCode === 400 && /JSON|body/i.test(e.message)) return sendError(reply, 400, 'invalid_json', 'Error parsing JSON body.');
    if (e.statusCode === 415) return sendError(reply, 400, 'invalid_request', 'Unsupported content type.');
    return sendError(reply, 500, 'internal_server_error', 'Unexpected error occurred.');
  });
}
