import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * HubSpot's error bodies. The v3 CRM APIs answer
 * `{status:"error", message, correlationId, category, ...}`; rate limits add
 * `errorType`, `policyName` and `requestId`.
 */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errorType?: string;
  policyName?: string;
  requestId?: string;
  errors?: { message: string; in?: string; code?: string; context?: Record<string, string[]> }[];
}

export function errorBody(category: string, message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function sendError(reply: FastifyReply, status: number, category: string, message: string, extra: Partial<HubSpotErrorBody> = {}): FastifyReply {
  return reply.code(status).send(errorBody(category, message, extra));
}

export const notFound = (reply: FastifyReply): FastifyReply => sendError(reply, 404, 'OBJECT_NOT_FOUND', 'resource not found');

/** The body the 10-second burst limiter answers with (policy TEN_SECONDLY_ROLLING). */
export function burstLimitBody(): HubSpotErrorBody {
  return {
    status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT',
    correlationId: randomUUID(), policyName: 'TEN_SECONDLY_ROLLING', requestId: randomUUID().replaceAll('-', ''),
  };
}

/** The search API's own per-second limiter; the SDK's retry decorator keys on this exact message. */
export function searchLimitBody(): HubSpotErrorBody {
  return {
    status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT',
    correlationId: randomUUID(), policyName: 'SECONDLY', requestId: randomUUID().replaceAll('-', ''),
  };
}

export function dailyLimitBody(): HubSpotErrorBody {
  return {
    status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT',
    correlationId: randomUUID(), policyName: 'DAILY', requestId: randomUUID().replaceAll('-', ''),
  };
}

/** One failed property value, as listed inside a VALIDATION_ERROR message. */
export interface PropertyValidation {
  isValid: false;
  message: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'READ_ONLY_VALUE';
  name: string;
  localizedErrorMessage: string;
}

/** HubSpot embeds the per-property results as JSON inside the message string. */
export function propertyValidationBody(failures: PropertyValidation[]): HubSpotErrorBody {
  return errorBody('VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(failures)}`);
}
