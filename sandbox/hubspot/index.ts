import type { FastifyError } from 'fastify';
import { startFake, type FakeDefinition, type RunningFake, type StartOptions } from '../core/server.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './app-credentials.ts';
import { authenticate, callerOf, PRIVATE_APP_CLIENT } from './auth.ts';
import { registerAssociationRoutes } from './associations-routes.ts';
import { registerBatchRoutes } from './batch-routes.ts';
import { registerControlRoutes } from './control-routes.ts';
import { burstLimitBody, sendError } from './errors.ts';
import { defaultKnobs, type HubSpotKnobs } from './knobs.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { registerObjectRoutes } from './objects-routes.ts';
import { registerPropertyRoutes } from './properties-routes.ts';
import { applyRateLimit } from './rate-limit.ts';
import { registerSearchRoutes } from './search-routes.ts';
import { seed } from './seed.ts';
import { createState, type HubSpotState } from './store.ts';

export type { HubSpotKnobs } from './knobs.ts';
export type { HubSpotState } from './store.ts';

const SCOPES = 'oauth crm.objects.contacts.read crm.objects.contacts.write crm.objects.companies.read crm.objects.companies.write crm.objects.deals.read crm.objects.deals.write crm.schemas.contacts.read';

export const definition: FakeDefinition<HubSpotState, HubSpotKnobs> = {
  name: 'hubspot',
  tokenPrefix: 'CNb',
  oauth: { accessTokenTtlSec: 1800, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // HubSpot retries 10 times over 24 h; scaled down to about 100 s in total.
  webhookRetryDelaysMs: [100, 200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200],
  createState,
  seed,
  send429: (reply) => reply.code(429).send(burstLimitBody()),
  sendError: (reply, status) => sendError(reply, status, 'INTERNAL_ERROR', 'internal error'),
  routes: (app, ctx) => {
    ctx.oauth.addClient(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET);
    registerOAuthRoutes(app, ctx);
    registerControlRoutes(app, ctx);
    void app.register(async (api) => {
      api.setErrorHandler((err: FastifyError, _req, reply) => {
        const status = err.statusCode ?? 500;
        return sendError(reply, status, status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR', err.message);
      });
      api.addHook('preHandler', async (req, reply) => {
        if (!authenticate(ctx, req, reply)) return reply;
        const caller = callerOf(req);
        if (caller && !applyRateLimit(ctx, req, reply, caller)) return reply;
      });
      registerObjectRoutes(api, ctx);
      registerBatchRoutes(api, ctx);
      registerSearchRoutes(api, ctx);
      registerAssociationRoutes(api, ctx);
      registerPropertyRoutes(api, ctx);
    });
  },
  inspect: (ctx) => ({
    portalId: ctx.knobs.portalId,
    counts: Object.fromEntries(Object.entries(ctx.state.records).map(([type, m]) => [type, {
      live: [...m.values()].filter((r) => !r.archived).length, archived: [...m.values()].filter((r) => r.archived).length,
    }])),
    customProperties: Object.fromEntries(Object.entries(ctx.state.properties).map(([type, m]) => [type, [...m.values()].filter((d) => !d.hubspotDefined).map((d) => d.name)])),
    webhookSubscriptions: ctx.webhooks.subscriptions.size,
    webhookDeliveries: ctx.webhooks.deliveries.length,
  }),
  credentials: (ctx) => {
    const portal = String(ctx.knobs.portalId);
    const privateApp = ctx.oauth.mint(PRIVATE_APP_CLIENT, portal, SCOPES, false, null);
    const installed = ctx.oauth.mint(SANDBOX_CLIENT_ID, portal, SCOPES, true);
    return {
      accessToken: privateApp.access_token,
      oauthAccessToken: installed.access_token,
      oauthRefreshToken: installed.refresh_token ?? '',
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      webhookSecret: SANDBOX_CLIENT_SECRET,
      portalId: portal,
    };
  },
};

export function startHubSpot(opts?: StartOptions<HubSpotKnobs>): Promise<RunningFake<HubSpotState, HubSpotKnobs>> {
  return startFake(definition, opts);
}
