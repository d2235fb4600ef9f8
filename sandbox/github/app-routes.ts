import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { ghError, notFound } from './errors.ts';
import { callerOf } from './gate.ts';
import type { GithubKnobs } from './knobs.ts';
import { sendPage } from './pagination.ts';
import { repoJson, userJson } from './representations.ts';
import type { App, GithubState, Installation } from './store.ts';

/**
 * GitHub App endpoints, reached with the app's own JWT: who the app is, where
 * it is installed, and installation access tokens (`ghs_…`, one hour).
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Tokens look like GitHub's: a kind prefix and 36 alphanumerics (Nango's PAT pattern accepts them). */
export function githubToken(prefix: 'ghp' | 'gho' | 'ghu' | 'ghs' | 'ghr'): string {
  const bytes = randomBytes(36);
  return `${prefix}_${[...bytes].map((b) => ALNUM[b % ALNUM.length]).join('')}`;
}

function appCaller(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): App | undefined {
  const c = callerOf(req);
  if (c.kind !== 'app') {
    void ghError(reply, 401, 'A JSON web token could not be decoded', 'https://docs.github.com/rest');
    return undefined;
  }
  return ctx.state.apps.get(c.appId);
}

export function appJson(ctx: Ctx, app: App) {
  const owner = ctx.state.users.get(app.ownerId)!;
  const now = new Date(0).toISOString();
  return {
    id: app.id, client_id: app.clientId, slug: app.slug, node_id: Buffer.from(`App${app.id}`).toString('base64'),
    owner: userJson(ctx.baseUrl(), owner), name: app.name, description: '', external_url: ctx.baseUrl(),
    html_url: `${ctx.baseUrl()}/apps/${app.slug}`, created_at: now, updated_at: now,
    permissions: { issues: 'write', metadata: 'read', contents: 'read', pull_requests: 'read' },
    events: ['issues', 'push'], installations_count: [...ctx.state.installations.values()].filter((i) => i.appId === app.id).length,
  };
}

function installationJson(ctx: Ctx, inst: Installation) {
  const account = ctx.state.users.get(inst.accountId)!;
  const app = ctx.state.apps.get(inst.appId)!;
  const base = ctx.baseUrl();
  return {
    id: inst.id, account: userJson(base, account), repository_selection: inst.repositorySelection,
    access_tokens_url: `${base}/app/installations/${inst.id}/access_tokens`, repositories_url: `${base}/installation/repositories`,
    html_url: `${base}/settings/installations/${inst.id}`, app_id: app.id, app_slug: app.slug, client_id: app.clientId,
    target_id: account.id, target_type: account.type === 'Organization' ? 'Organization' : 'User',
    permissions: inst.permissions, events: ['issues', 'push'], created_at: inst.createdAt, updated_at: inst.createdAt,
    single_file_name: null, has_multiple_single_files: false, single_file_paths: [], suspended_by: null, suspended_at: null,
  };
}

export function registerAppRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/app', async (req, reply) => {
    const me = appCaller(ctx, req, reply);
    if (!me) return reply;
    return appJson(ctx, me);
  });

  app.get('/app/installations', async (req, reply) => {
    const me = appCaller(ctx, req, reply);
    if (!me) return reply;
    const items = [...ctx.state.installations.values()].filter((i) => i.appId === me.id);
    return sendPage(req, reply, ctx.baseUrl(), '/app/installations', items).map((i) => installationJson(ctx, i));
  });

  app.get('/app/installations/:id', async (req, reply) => {
    const me = appCaller(ctx, req, reply);
    if (!me) return reply;
    const inst = ctx.state.installations.get(Number((req.params as { id: string }).id));
    if (!inst || inst.appId !== me.id) return notFound(reply);
    return installationJson(ctx, inst);
  });

  app.post('/app/installations/:id/access_tokens', async (req, reply) => {
    const me = appCaller(ctx, req, reply);
    if (!me) return reply;
    const inst = ctx.state.installations.get(Number((req.params as { id: string }).id));
    if (!inst || inst.appId !== me.id) return notFound(reply, 'https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app');
    const b = (req.body ?? {}) as { repositories?: string[]; repository_ids?: number[]; permissions?: Record<string, string> };
    const visible = [...ctx.state.repos.values()].filter((r) => inst.repositorySelection === 'all' ? r.ownerId === inst.accountId : inst.repoIds.includes(r.id));
    let narrowed: typeof visible | undefined;
    if (b.repositories || b.repository_ids) {
      narrowed = visible.filter((r) => b.repositories?.includes(r.name) || b.repository_ids?.includes(r.id));
      if (narrowed.length === 0) return ghError(reply, 422, 'There is at least one repository that does not exist or is not accessible to the parent installation.');
    }
    const token = githubToken('ghs');
    const expiresAt = Date.now() + ctx.knobs.installationTokenTtlSec * 1000;
    ctx.state.tokens.set(token, { principal: { kind: 'installation', installationId: inst.id }, expiresAt, ...(narrowed ? { repoIds: narrowed.map((r) => r.id) } : {}) });
    return reply.code(201).send({
      token,
      expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      permissions: b.permissions ?? inst.permissions,
      repository_selection: narrowed ? 'selected' : inst.repositorySelection,
      ...(narrowed ? { repositories: narrowed.map((r) => repoJson(ctx.baseUrl(), ctx.state, r)) } : {}),
    });
  });
}
