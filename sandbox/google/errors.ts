import type { FastifyReply } from 'fastify';

/**
 * Google's JSON error: `{error: {code, message, status}}` with the
 * canonical status names (UNAUTHENTICATED, NOT_FOUND, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED, PERMISSION_DENIED).
 */
const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function googleError(reply: FastifyReply, code: number, message: string, details?: unknown[]) {
  return reply.code(code).send({ error: { code, message, status: STATUS[code] ?? 'UNKNOWN', ...(details ? { details } : {}) } });
}

export const MISSING_CREDENTIALS = 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
export const INVALID_CREDENTIALS = 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** The quota answer Sheets gives, with the ErrorInfo detail clients key on. */
export function quotaExceeded(reply: FastifyReply, kind: 'Read' | 'Write') {
  const metric = `sheets.googleapis.com/${kind.toLowerCase()}_requests`;
  const limit = `${kind}RequestsPerMinutePerUser`;
  return googleError(reply, 429, `Quota exceeded for quota metric '${kind} requests' and limit '${kind} requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789012'.`, [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: { quota_metric: metric, quota_limit: limit, quota_location: 'global', service: 'sheets.googleapis.com', consumer: 'projects/123456789012', quota_limit_value: '60', quota_unit: '1/min/{project}/{user}' } },
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quotas/help/request_increase' }] },
  ]);
}
