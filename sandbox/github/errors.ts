import type { FastifyReply } from 'fastify';

/**
 * GitHub's error body: `{message, documentation_url, status}`. The `status`
 * string is what api.github.com has sent since 2023 alongside the HTTP code.
 */
export const DOCS = 'https://docs.github.com/rest';

export function ghError(reply: FastifyReply, status: number, message: string, documentationUrl = DOCS, extra: Record<string, unknown> = {}) {
  return reply.code(status).send({ message, documentation_url: documentationUrl, ...extra, status: String(status) });
}

export const notFound = (reply: FastifyReply, doc = DOCS) => ghError(reply, 404, 'Not Found', doc);

/** 422 with GitHub's `errors` array, e.g. a missing `title`. */
export function validationFailed(reply: FastifyReply, resource: string, field: string, code = 'missing_field') {
  return ghError(reply, 422, 'Validation Failed', DOCS, { errors: [{ resource, code, field }] });
}
