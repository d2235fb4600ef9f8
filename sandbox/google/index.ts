import type { FastifyReply } from 'fastify';
import { startFake, type FakeContext, type FakeDefinition, type StartOptions } from '../core/server.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerDrivePush } from './drive-push.ts';
import { googleError, quotaExceeded } from './errors.ts';
import { registerGate, resetQuotas } from './gate.ts';
import { defaultGoogleKnobs, type GoogleKnobs } from './knobs.ts';
import { DEFAULT_SHEET_ID, initialState, keepServiceAccountKey, SERVICE_ACCOUNT, seedGoogle, serviceAccountKey } from './seed.ts';
import { registerSheetsRoutes } from './sheets-routes.ts';
import type { GoogleState } from './store.ts';
import { registerTokenRoutes } from './token-routes.ts';

/**
 * One origin standing in for sheets.googleapis.com, www.googleapis.com
 * (Drive), oauth2.googleapis.com (/token) and accounts.google.com (consent).
 */
type Ctx = FakeContext<GoogleState, GoogleKnobs>;

const CLIENT = { id: 'sandbox-client.apps.googleusercontent.com', secret: 'GOCSPX-sandbox-secret' };
const SCOPES = 'https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/drive';

export const definition: FakeDefinition<GoogleState, GoogleKnobs> = {
  name: 'google',
  tokenPrefix: 'ya29.sandbox-',
  oauth: { accessTokenTtlSec: 3600, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultGoogleKnobs(),
  webhookRetryDelaysMs: defaultGoogleKnobs().pushRetryDelaysMs,
  createState: initialState,
  seed: seedGoogle,
  send429: (reply: FastifyReply) => {
    void quotaExceeded(reply, 'Read');
  },
  sendError: (reply, status) => {
    void googleError(reply, status, status === 503 ? 'The service is currently unavailable.' : 'Internal error encountered.');
  },
  onReset: (ctx, previous) => {
    resetQuotas(ctx);
    keepServiceAccountKey(previous, ctx.state);
  },
  routes: (app, ctx: Ctx) => {
    ctx.oauth.addClient(CLIENT.id, CLIENT.secret);
    registerGate(app, ctx);
    registerTokenRoutes(app, ctx);
    registerSheetsRoutes(app, ctx);
    registerDrivePush(app, ctx);
    registerControlRoutes(app, ctx);
  },
  inspect: (ctx) => ({
    spreadsheets: [...ctx.state.spreadsheets.values()].map((s) => ({ id: s.id, title: s.title, sheets: s.sheets.map((sh) => ({ title: sh.title, rows: sh.rows.length })) })),
    channels: [...ctx.state.channels.values()].map((c) => ({ id: c.id, fileId: c.fileId, address: c.address, expiration: c.expiration })),
    serviceAccounts: [...ctx.state.serviceAccounts.keys()],
  }),
  credentials: (ctx) => ({
    rootUrl: `${ctx.baseUrl()}/`,
    tokenUrl: `${ctx.baseUrl()}/token`,
    authorizeUrl: `${ctx.baseUrl()}/o/oauth2/v2/auth`,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    accessToken: ctx.oauth.mint(CLIENT.id, 'sandbox-user@example.com', SCOPES, false, null).access_token,
    serviceAccountEmail: SERVICE_ACCOUNT,
    serviceAccountPrivateKey: serviceAccountKey(ctx.state),
    spreadsheetId: DEFAULT_SHEET_ID,
  }),
};

export function startGoogle(opts?: StartOptions<GoogleKnobs>) {
  return startFake(definition, opts);
}
