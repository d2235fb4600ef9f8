import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.ts';

/** The URL as the provider called it; HubSpot v2/v3 sign it. */
export function externalUrl(req: FastifyRequest, publicUrl: string | undefined): string {
  const base = publicUrl ? publicUrl.replace(/\/$/, '') : `${req.protocol}://${req.headers.host ?? req.hostname}`;
  return `${base}${req.url}`;
}

/**
 * `POST /api/v1/webhooks/{provider}/{sourceId}`: raw bytes in, a 2xx only
 * after the event is committed. Its own plugin scope keeps every body as a
 * Buffer, whatever its content type, so signatures see the exact bytes.
 */
export function webhookReceiveRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.webhookMaxBodyBytes }, (_req, body, done) => done(null, body));

    app.post('/webhooks/:provider/:sourceId', {
      bodyLimit: deps.webhookMaxBodyBytes,
      config: { public: true, rateLimit: false },
      schema: {
        tags: ['webhooks'],
        summary: 'Receive a provider webhook (the URL a webhook source shows)',
        description: 'Verifies the signature over the raw body, answers provider handshakes, stores the event and its processing job in one transaction, and answers 200 only after commit. A duplicate delivery answers 200 with duplicate=true and is stored once.',
        security: [],
        params: { type: 'object', properties: { provider: { type: 'string' }, sourceId: { type: 'string' } } },
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, duplicate: { type: 'boolean' } } },
          400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 410: { $ref: 'Problem#' },
          413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' }, 503: { $ref: 'Problem#' },
        },
      },
    }, async (req, reply) => {
      const { provider, sourceId } = req.params as { provider: string; sourceId: string };
      const result = await deps.ingestor.receive({
        provider, sourceId, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        headers: req.headers, method: req.method, url: externalUrl(req, deps.publicUrl),
      });
      if (result.kind === 'handshake' || result.reply) {
        const r = result.kind === 'handshake' ? result.reply : result.reply!;
        return reply.code(r.status as 200).type(r.contentType).send(r.body);
      }
      return reply.code(200).send({ id: result.eventId, duplicate: result.duplicate });
    });
  };
}
