import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { invalidParam, missing } from './errors.ts';
import { nest, str, strings } from './form.ts';
import { idempotent } from './idempotency.ts';
import { newId, nowSec, type WebhookEndpoint } from './store.ts';
import type { StripeContext } from './knobs.ts';

/**
 * `/v1/webhook_endpoints`: creating one registers a core subscription signed
 * with a fresh `whsec_` secret (shown only in the create answer). `*` means all events.
 */
export function registerWebhookEndpointRoutes(app: FastifyInstance, ctx: StripeContext): void {
  const hideSecret = ({ secret: _secret, ...rest }: WebhookEndpoint) => rest;

  app.post('/v1/webhook_endpoints', async (req, reply) => idempotent(ctx, req, reply, async () => {
    const params = nest((req.body ?? {}) as Record<string, unknown>);
    const url = str(params.url);
    const events = strings(params.enabled_events);
    if (!url) {
      invalidParam(reply, 'url', 'Missing required param: url.');
      return undefined;
    }
    if (!events || events.length === 0) {
      invalidParam(reply, 'enabled_events', 'Missing required param: enabled_events.');
      return undefined;
    }
    const endpoint: WebhookEndpoint = {
      id: newId('we', ctx.random, 24), object: 'webhook_endpoint', api_version: str(params.api_version) ?? null, application: null,
      created: nowSec(), description: str(params.description) ?? null, enabled_events: events, livemode: false, metadata: {},
      secret: `whsec_${randomBytes(24).toString('hex')}`, status: 'enabled', url,
    };
    ctx.state.endpoints.set(endpoint.id, endpoint);
    ctx.webhooks.subscribe({ id: endpoint.id, url, events: events.includes('*') ? [] : events, secret: endpoint.secret ?? '' });
    return { status: 200, body: endpoint };
  }));

  app.get('/v1/webhook_endpoints', async () => {
    const data = [...ctx.state.endpoints.values()].reverse().map(hideSecret);
    return { object: 'list', data, has_more: false, url: '/v1/webhook_endpoints' };
  });

  app.get('/v1/webhook_endpoints/:id', async (req, reply) => {
    const e = ctx.state.endpoints.get((req.params as { id: string }).id);
    return e ? hideSecret(e) : missing(reply, 'webhook_endpoint', (req.params as { id: string }).id);
  });

  app.delete('/v1/webhook_endpoints/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!ctx.state.endpoints.delete(id)) return missing(reply, 'webhook_endpoint', id);
    ctx.webhooks.subscriptions.delete(id);
    return { id, object: 'webhook_endpoint', deleted: true };
  });
}
