import { startFake, type FakeDefinition, type RunningFake, type StartOptions } from '../core/server.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerDatabaseRoutes } from './database-routes.ts';
import { registerErrorHandler, sendError, SERVER_ERROR_CODES } from './errors.ts';
import { registerGuard, sendRateLimited } from './guard.ts';
import { defaultKnobs, type NotionKnobs } from './knobs.ts';
import { registerOAuthRoutes, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './oauth-routes.ts';
import { registerPageRoutes } from './page-routes.ts';
import { seed } from './seed.ts';
import { createState, type NotionState } from './store.ts';

/** The Notion fake: `/v1` databases, data sources and pages, OAuth, signed webhooks. */
export const SANDBOX_INTEGRATION_TOKEN = 'ntn_sandbox_internal_integration_secret';

export const definition: FakeDefinition<NotionState, NotionKnobs> = {
  name: 'notion',
  tokenPrefix: 'ntn_',
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // Upstream retry schedule is UNCONFIRMED; scaled-down delays for tests.
  webhookRetryDelaysMs: [200, 400, 800],
  createState,
  seed: (ctx, spec) => seed(ctx, spec),
  send429: (reply, ctx) => {
    sendRateLimited(reply, ctx.knobs.retryAfterSec);
  },
  sendError: (reply, status) => {
    sendError(reply, status, SERVER_ERROR_CODES[status] ?? 'internal_server_error', 'Unexpected error occurred.');
  },
  routes: (app, ctx) => {
    ctx.oauth.access.set(SANDBOX_INTEGRATION_TOKEN, { clientId: 'internal', account: ctx.state.workspaceId, scope: '', expiresAt: null });
    registerErrorHandler(app);
    registerGuard(app, ctx);
    registerOAuthRoutes(app, ctx);
    registerDatabaseRoutes(app, ctx);
    registerPageRoutes(app, ctx);
    registerControlRoutes(app, ctx);
  },
  inspect: (ctx) => ({
    workspaceId: ctx.state.workspaceId,
    databases: [...ctx.state.databases.values()].map((d) => ({
      id: d.id, title: d.title, dataSourceId: d.dataSourceId,
      pages: [...ctx.state.pages.values()].filter((p) => p.databaseId === d.id && !p.inTrash).length,
    })),
  }),
  credentials: (ctx) => ({
    integrationToken: SANDBOX_INTEGRATION_TOKEN,
    baseUrl: ctx.baseUrl(),
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    authorizeUrl: `${ctx.baseUrl()}/v1/oauth/authorize`,
    tokenUrl: `${ctx.baseUrl()}/v1/oauth/token`,
  }),
};

export function startNotion(opts?: StartOptions<NotionKnobs>): Promise<RunningFake<NotionState, NotionKnobs>> {
  return startFake(definition, opts);
}
