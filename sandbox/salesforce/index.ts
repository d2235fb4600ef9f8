import { startFake, type FakeDefinition, type StartOptions } from '../core/server.ts';
import { sendLimitExceeded } from './api-guard.ts';
import { registerBulkIngestRoutes } from './bulk-ingest-routes.ts';
import { registerBulkQueryRoutes } from './bulk-query-routes.ts';
import { registerCollectionsRoutes } from './collections-routes.ts';
import { registerCompositeRoutes } from './composite-routes.ts';
import { connectedApp } from './connected-app.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerJsonBody } from './json-body.ts';
import { fail, sendResult, sfError } from './errors.ts';
import { defaultKnobs, type SalesforceKnobs } from './knobs.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { wireOutbound } from './outbound-messages.ts';
import { registerRestRoutes } from './rest-routes.ts';
import { OBJECTS } from './schema.ts';
import { seed } from './seed.ts';
import { createState, type SalesforceState, type SfCtx } from './state.ts';

/** The Salesforce fake: login host and instance in one server (instance_url points back at it). */
export const definition: FakeDefinition<SalesforceState, SalesforceKnobs> = {
  name: 'salesforce',
  tokenPrefix: '00D5g0000000Sbx!',
  // The org session timeout (2 h by default) bounds access tokens; refresh tokens do not rotate unless the app says so.
  oauth: { accessTokenTtlSec: 7200, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // Outbound messages back off exponentially (up to 2 h apart, for 24 h); scaled down here.
  webhookRetryDelaysMs: [100, 200, 400, 800, 1600],
  createState,
  seed: (ctx, spec) => {
    wireOutbound(ctx);
    seed(ctx, spec);
  },
  send429: (reply, ctx) => sendLimitExceeded(reply, ctx),
  sendError: (reply, status) => {
    sendResult(reply, fail(status, status === 503
      ? sfError('SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.')
      : sfError('UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)')));
  },
  routes: (app, ctx) => {
    connectedApp(ctx);
    registerJsonBody(app);
    app.addHook('onRequest', async () => wireOutbound(ctx));
    registerOAuthRoutes(app, ctx);
    registerRestRoutes(app, ctx);
    registerCompositeRoutes(app, ctx);
    registerCollectionsRoutes(app, ctx);
    registerBulkIngestRoutes(app, ctx);
    registerBulkQueryRoutes(app, ctx);
    registerControlRoutes(app, ctx);
  },
  inspect: (ctx) => ({
    records: Object.fromEntries(OBJECTS.map((o) => [o.name, ctx.state.store.count(o.name)])),
    ingestJobs: ctx.state.ingestJobs.size,
    queryJobs: ctx.state.queryJobs.size,
    apiRemaining: Number.isNaN(ctx.state.apiRemaining) ? ctx.knobs.dailyApiLimit : ctx.state.apiRemaining,
  }),
  credentials: (ctx: SfCtx) => {
    const app = connectedApp(ctx);
    const t = ctx.oauth.mint(app.consumerKey, ctx.knobs.username, 'api refresh_token', true);
    return {
      loginUrl: ctx.baseUrl(),
      instanceUrl: ctx.baseUrl(),
      clientId: app.consumerKey,
      clientSecret: app.consumerSecret,
      username: ctx.knobs.username,
      accessToken: t.access_token,
      refreshToken: t.refresh_token ?? '',
      privateKeyPem: app.privateKeyPem,
    };
  },
};

export function startSalesforce(opts?: StartOptions<SalesforceKnobs>) {
  return startFake(definition, opts);
}
