import { startFake, type FakeDefinition, type RunningFake, type StartOptions } from '../core/server.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerGraphqlRoute, sendRateLimited } from './graphql-route.ts';
import { defaultKnobs, type MondayKnobs } from './knobs.ts';
import { registerOAuthRoutes, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './oauth-routes.ts';
import { seed } from './seed.ts';
import { createState, type MondayState } from './store.ts';

/**
 * The Monday.com fake: GraphQL at `POST /v2`, OAuth at `/oauth2/*`, board
 * webhooks with the challenge handshake and JWT-signed deliveries.
 */
export const SANDBOX_API_TOKEN = 'monday-sandbox-personal-token';

export const definition: FakeDefinition<MondayState, MondayKnobs> = {
  name: 'monday',
  tokenPrefix: 'mnd-',
  // Classic Monday OAuth tokens do not expire and are never refreshed.
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // Upstream retries once a minute for 30 minutes (UNCONFIRMED); scaled down here.
  webhookRetryDelaysMs: [200, 400, 800],
  createState,
  seed: (ctx, spec) => seed(ctx, spec),
  send429: (reply) => {
    sendRateLimited(reply, 1);
  },
  sendError: (reply, status) => {
    void reply.code(status).send({ errors: [{ message: 'Internal Server Error', extensions: { code: 'INTERNAL_SERVER_ERROR', status_code: status } }] });
  },
  routes: (app, ctx) => {
    // A personal API token: never expires, acts as the account's first user.
    ctx.oauth.access.set(SANDBOX_API_TOKEN, { clientId: 'personal', account: String(ctx.state.accountId), scope: 'me:read boards:read boards:write webhooks:write', expiresAt: null });
    registerOAuthRoutes(app, ctx);
    registerGraphqlRoute(app, ctx);
    registerControlRoutes(app, ctx);
  },
  inspect: (ctx) => ({
    accountId: ctx.state.accountId,
    boards: [...ctx.state.boards.values()].map((b) => ({
      id: b.id, name: b.name, columns: b.columns.map((c) => `${c.id}:${c.type}`), groups: b.groups.map((g) => g.id),
      items: b.itemIds.filter((id) => ctx.state.items.get(id)?.state === 'active').length,
    })),
    webhooks: [...ctx.state.webhooks.values()],
    openCursors: ctx.state.cursors.size,
  }),
  credentials: (ctx) => ({
    apiToken: SANDBOX_API_TOKEN,
    endpoint: `${ctx.baseUrl()}/v2`,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    signingSecret: ctx.knobs.signingSecret,
    authorizeUrl: `${ctx.baseUrl()}/oauth2/authorize`,
    tokenUrl: `${ctx.baseUrl()}/oauth2/token`,
  }),
};

export function startMonday(opts?: StartOptions<MondayKnobs>): Promise<RunningFake<MondayState, MondayKnobs>> {
  return startFake(definition, opts);
}
