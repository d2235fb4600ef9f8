import type { FastifyError } from 'fastify';
import { startFake, type FakeDefinition, type RunningFake, type StartOptions } from '../core/server.ts';
import { authenticateAndLimit } from './auth.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerCustomerRoutes } from './customers-routes.ts';
import { rateLimitBody, requestId, sendStripeError } from './errors.ts';
import { registerEventRoutes } from './events-routes.ts';
import { defaultKnobs, type StripeKnobs } from './knobs.ts';
import { seed } from './seed.ts';
import { API_VERSION, createState, type StripeState } from './store.ts';
import { registerWebhookEndpointRoutes } from './webhook-endpoints-routes.ts';

export type { StripeKnobs } from './knobs.ts';
export type { StripeState } from './store.ts';

/** Suggested secret for subscriptions registered through the core control API. */
export const SANDBOX_WEBHOOK_SECRET = 'whsec_sandbox_0123456789abcdef0123456789abcdef';

export const definition: FakeDefinition<StripeState, StripeKnobs> = {
  name: 'stripe',
  tokenPrefix: 'sk_test_',
  // Secret keys do not expire; Connect OAuth is not modelled.
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // Sandbox mode retries 3 times over a few hours; scaled down.
  webhookRetryDelaysMs: [200, 800, 3_200],
  createState,
  seed,
  send429: (reply) => reply.code(429).send(rateLimitBody()),
  sendError: (reply, status) => sendStripeError(reply, status, { type: 'api_error', message: 'An unknown error occurred' }),
  routes: (app, ctx) => {
    registerControlRoutes(app, ctx);
    void app.register(async (api) => {
      api.setErrorHandler((err: FastifyError, _req, reply) => {
        const status = err.statusCode ?? 500;
        return sendStripeError(reply, status, status < 500
          ? { type: 'invalid_request_error', message: err.message }
          : { type: 'api_error', message: 'An unknown error occurred' });
      });
      api.addHook('preHandler', async (req, reply) => {
        reply.header('request-id', requestId());
        reply.header('stripe-version', typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : API_VERSION);
        if (!authenticateAndLimit(ctx, req, reply)) return reply;
      });
      registerEventRoutes(api, ctx);
      registerCustomerRoutes(api, ctx);
      registerWebhookEndpointRoutes(api, ctx);
    });
  },
  inspect: (ctx) => ({
    customers: ctx.state.customers.size,
    events: ctx.state.events.size,
    webhookEndpoints: ctx.state.endpoints.size,
    webhookDeliveries: ctx.webhooks.deliveries.length,
  }),
  credentials: (ctx) => ({
    secretKey: ctx.oauth.mint('sandbox', 'acct_sandbox', '', false, null).access_token,
    publishableKey: 'pk_test_sandbox',
    webhookSecret: SANDBOX_WEBHOOK_SECRET,
    host: '127.0.0.1',
    port: new URL(ctx.baseUrl()).port,
    protocol: 'http',
  }),
};

export function startStripe(opts?: StartOptions<StripeKnobs>): Promise<RunningFake<StripeState, StripeKnobs>> {
  return startFake(definition, opts);
}
