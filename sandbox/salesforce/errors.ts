import type { FastifyReply } from 'fastify';

/**
 * Salesforce REST errors are a JSON array of `{message, errorCode, fields?}`;
 * save results inside collections use `statusCode` instead of `errorCode`.
 */
export interface SfError {
  errorCode: string;
  message: string;
  fields?: string[];
}

export interface SfResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const sfError = (errorCode: string, message: string, fields?: string[]): SfError =>
  ({ message, errorCode, ...(fields ? { fields } : {}) });

export const fail = (status: number, err: SfError): SfResult => ({ status, body: [err] });

export const notFound = (): SfResult => fail(404, sfError('NOT_FOUND', 'The requested resource does not exist'));

export const invalidSession = (): SfResult => fail(401, sfError('INVALID_SESSION_ID', 'Session expired or invalid'));

export const isError = (x: unknown): x is SfError =>
  typeof x === 'object' && x !== null && typeof (x as SfError).errorCode === 'string';

/** The shape an error takes inside a SaveResult. */
export const saveError = (e: SfError): { statusCode: string; message: string; fields: string[] } =>
  ({ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] });

export function sendResult(reply: FastifyReply, r: SfResult): FastifyReply {
  if (r.headers) reply.headers(r.headers);
  reply.code(r.status);
  return r.body === undefined ? reply.send() : reply.send(r.body);
}
