import type { FastifyInstance } from 'fastify';

/**
 * Salesforce ignores an empty body sent as JSON (DELETE with a JSON content
 * type is common) and answers malformed JSON with JSON_PARSER_ERROR in its own
 * error shape, not Fastify's.
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      const e = new Error(`Unexpected character in JSON body: ${(err as Error).message}`) as Error & { statusCode: number; sfCode: string };
      e.statusCode = 400;
      e.sfCode = 'JSON_PARSER_ERROR';
      done(e, undefined);
    }
  });
  app.setErrorHandler((err: Error & { statusCode?: number; sfCode?: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    reply.code(status).send([{ message: err.message, errorCode: err.sfCode ?? (status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INVALID_INPUT') }]);
  });
}
