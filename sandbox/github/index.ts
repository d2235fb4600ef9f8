import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { startFake, type FakeContext, type FakeDefinition, type StartOptions } from '../core/server.ts';
import { registerAppRoutes } from './app-routes.ts';
import { registerControlRoutes } from './control-routes.ts';
import { ghError } from './errors.ts';
import { registerGate, resetRateLimits } from './gate.ts';
import { registerIssueRoutes } from './issue-routes.ts';
import { defaultGithubKnobs, type GithubKnobs } from './knobs.ts';
import { defaultLogin, registerOAuthRoutes } from './oauth-routes.ts';
import { exceededMessage, RATE_DOCS, setRateHeaders } from './rate-limit.ts';
import { registerRepoRoutes } from './repo-routes.ts';
import { registerSearchRoutes } from './search-routes.ts';
import { defaultsFor, initialState, keepDefaults, seedGithub } from './seed.ts';
import type { GithubState } from './store.ts';

/** A fake api.github.com (plus github.com's OAuth pages) on one origin. */
type Ctx = FakeContext<GithubState, GithubKnobs>;

const OAUTH_CLIENT = { id: 'Ov23liSandboxClient01', secret: 'sandbox-github-client-secret' };

export const definition: FakeDefinition<GithubState, GithubKnobs> = {
  name: 'github',
  tokenPrefix: 'gho_',
  // OAuth App tokens do not expire; GitHub App user tokens (8 h) rotate their refresh token.
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: true, requirePkce: false, denyConsent: false },
  knobs: defaultGithubKnobs(),
  // GitHub never retries a failed delivery on its own.
  webhookRetryDelaysMs: [],
  createState: initialState,
  seed: seedGithub,
  send429: (reply: FastifyReply, ctx: Ctx) => {
    const reset = Math.ceil((Date.now() + ctx.knobs.coreWindowMs) / 1000);
    setRateHeaders(reply, { limit: ctx.knobs.userLimit, used: ctx.knobs.userLimit, remaining: 0, resetSec: reset, resource: 'core' });
    void ghError(reply, 429, exceededMessage(`user ID ${[...ctx.state.users.keys()][0] ?? 1}`), RATE_DOCS);
  },
  sendError: (reply, status) => {
    void ghError(reply, status, STATUS_CODES[status] ?? 'Server Error');
  },
  onReset: (ctx, previous) => {
    resetRateLimits(ctx);
    keepDefaults(previous, ctx.state);
  },
  routes: (app, ctx) => {
    ctx.oauth.addClient(OAUTH_CLIENT.id, OAUTH_CLIENT.secret);
    registerGate(app, ctx);
    registerOAuthRoutes(app, ctx);
    registerAppRoutes(app, ctx);
    registerRepoRoutes(app, ctx);
    registerIssueRoutes(app, ctx);
    registerSearchRoutes(app, ctx);
    registerControlRoutes(app, ctx);
  },
  inspect: (ctx) => ({
    users: [...ctx.state.users.values()].map((u) => u.login),
    repos: [...ctx.state.repos.values()].map((r) => ({ id: r.id, name: `${ctx.state.users.get(r.ownerId)?.login}/${r.name}`, private: r.private })),
    issues: ctx.state.issues.length,
    commits: ctx.state.commits.length,
    releases: ctx.state.releases.length,
    runs: ctx.state.runs.length,
    apps: [...ctx.state.apps.values()].map((a) => ({ id: a.id, slug: a.slug })),
    installations: [...ctx.state.installations.values()].map((i) => ({ id: i.id, appId: i.appId, account: ctx.state.users.get(i.accountId)?.login })),
  }),
  credentials: (ctx) => {
    const d = defaultsFor(ctx.state);
    return {
      baseUrl: ctx.baseUrl(),
      login: defaultLogin(ctx.state),
      token: d?.pat ?? '',
      clientId: OAUTH_CLIENT.id,
      clientSecret: OAUTH_CLIENT.secret,
      authorizeUrl: `${ctx.baseUrl()}/login/oauth/authorize`,
      tokenUrl: `${ctx.baseUrl()}/login/oauth/access_token`,
      appId: String(d?.appId ?? ''),
      appPrivateKey: d?.appPrivateKeyPem ?? '',
      installationId: String(d?.installationId ?? ''),
    };
  },
};

export function startGithub(opts?: StartOptions<GithubKnobs>) {
  return startFake(definition, opts);
}
