import type { FastifyInstance } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { canSeeRepo } from './auth.ts';
import { ghError, validationFailed } from './errors.ts';
import { callerOf } from './gate.ts';
import type { GithubKnobs } from './knobs.ts';
import { sendPage } from './pagination.ts';
import { canonicalPath, repoRoute, writer } from './repo-scope.ts';
import { commitJson, releaseJson, repoJson, runJson, userJson } from './representations.ts';
import { nextId, type GithubState, type Release } from './store.ts';
import { emitTo, pingPayload } from './webhooks.ts';

/** Repositories and what the hub reads from them: commits, releases, workflow runs, hooks. */
type Ctx = FakeContext<GithubState, GithubKnobs>;

export function registerRepoRoutes(app: FastifyInstance, ctx: Ctx): void {
  const base = () => ctx.baseUrl();

  repoRoute(app, ctx, 'GET', '', (_req, _reply, repo) => repoJson(base(), ctx.state, repo), 'https://docs.github.com/rest/repos/repos#get-a-repository');

  repoRoute(app, ctx, 'GET', '/commits', (req, reply, repo) => {
    const q = req.query as Record<string, string | undefined>;
    const since = q.since ? Date.parse(q.since) : -Infinity;
    const until = q.until ? Date.parse(q.until) : Infinity;
    const items = ctx.state.commits
      .filter((c) => c.repoId === repo.id && Date.parse(c.date) >= since && Date.parse(c.date) <= until)
      .reverse();
    return sendPage(req, reply, base(), canonicalPath(repo, '/commits'), items).map((c) => commitJson(base(), ctx.state, c));
  });

  // Single objects by key, as `GET /commits/{ref}`, `/releases/{id}` and `/actions/runs/{id}` answer on GitHub.
  repoRoute(app, ctx, 'GET', '/commits/:sha', (req, reply, repo) => {
    const sha = (req.params as { sha: string }).sha.toLowerCase();
    const c = sha.length >= 7 ? ctx.state.commits.find((x) => x.repoId === repo.id && x.sha.startsWith(sha)) : undefined;
    return c ? commitJson(base(), ctx.state, c) : ghError(reply, 422, `No commit found for SHA: ${sha}`, 'https://docs.github.com/rest/commits/commits#get-a-commit');
  });

  repoRoute(app, ctx, 'GET', '/releases/:id', (req, reply, repo) => {
    const r = ctx.state.releases.find((x) => x.repoId === repo.id && x.id === Number((req.params as { id: string }).id));
    return r ? releaseJson(base(), ctx.state, r) : ghError(reply, 404, 'Not Found', 'https://docs.github.com/rest/releases/releases#get-a-release');
  });

  repoRoute(app, ctx, 'GET', '/actions/runs/:id', (req, reply, repo) => {
    const w = ctx.state.runs.find((x) => x.repoId === repo.id && x.id === Number((req.params as { id: string }).id));
    return w ? runJson(base(), ctx.state, w) : ghError(reply, 404, 'Not Found', 'https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run');
  });

  repoRoute(app, ctx, 'GET', '/releases', (req, reply, repo) => {
    const items = ctx.state.releases.filter((r) => r.repoId === repo.id).sort((a, b) => b.id - a.id);
    return sendPage(req, reply, base(), canonicalPath(repo, '/releases'), items).map((r) => releaseJson(base(), ctx.state, r));
  });

  repoRoute(app, ctx, 'POST', '/releases', async (req, reply, repo) => {
    const author = writer(ctx, req, reply);
    if (!author) return reply;
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.tag_name !== 'string') return validationFailed(reply, 'Release', 'tag_name');
    if (ctx.state.releases.some((r) => r.repoId === repo.id && r.tagName === b.tag_name)) {
      return ghError(reply, 422, 'Validation Failed', 'https://docs.github.com/rest/releases/releases#create-a-release', { errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] });
    }
    const now = new Date().toISOString();
    const draft = b.draft === true;
    const release: Release = {
      id: nextId(ctx.state), repoId: repo.id, tagName: b.tag_name, name: typeof b.name === 'string' ? b.name : null,
      body: typeof b.body === 'string' ? b.body : null, draft, prerelease: b.prerelease === true,
      targetCommitish: typeof b.target_commitish === 'string' ? b.target_commitish : repo.defaultBranch,
      authorId: author.id, createdAt: now, publishedAt: draft ? null : now,
    };
    ctx.state.releases.push(release);
    return reply.code(201).send(releaseJson(base(), ctx.state, release));
  });

  // Workflow runs page with Link headers too, but wrap the page in {total_count, workflow_runs}.
  repoRoute(app, ctx, 'GET', '/actions/runs', (req, reply, repo) => {
    const q = req.query as Record<string, string | undefined>;
    const items = ctx.state.runs
      .filter((w) => w.repoId === repo.id && (!q.status || w.status === q.status || w.conclusion === q.status) && (!q.branch || w.headBranch === q.branch) && (!q.event || w.event === q.event))
      .sort((a, b) => b.id - a.id);
    const page = sendPage(req, reply, base(), canonicalPath(repo, '/actions/runs'), items);
    return { total_count: items.length, workflow_runs: page.map((w) => runJson(base(), ctx.state, w)) };
  });

  // Creating a hook registers a delivery target and sends it a ping, as GitHub does.
  repoRoute(app, ctx, 'POST', '/hooks', async (req, reply, repo) => {
    const author = writer(ctx, req, reply);
    if (!author) return reply;
    const b = (req.body ?? {}) as { events?: string[]; active?: boolean; config?: { url?: string; content_type?: string; secret?: string; insecure_ssl?: string } };
    if (!b.config?.url) return validationFailed(reply, 'Hook', 'url');
    const events = b.events ?? ['push'];
    const wanted = events.includes('*') ? [] : [...events, 'ping'];
    const sub = ctx.webhooks.subscribe({ id: String(nextId(ctx.state)), url: b.config.url, events: wanted, secret: b.config.secret ?? '' });
    const contentType = b.config.content_type === 'json' ? 'json' : 'form';
    ctx.state.hooks.set(sub.id, { repoId: repo.id, contentType });
    const config = { content_type: contentType, url: b.config.url, insecure_ssl: b.config.insecure_ssl ?? '0', ...(b.config.secret ? { secret: '********' } : {}) };
    const ping = pingPayload(ctx, sub.id, repo, author, events, config);
    await emitTo(ctx, sub, 'ping', ping, repo.id);
    return reply.code(201).send({ ...ping.hook, type: 'Repository' });
  });

  app.get('/user', async (req, reply) => {
    const c = callerOf(req);
    if (c.kind !== 'user') return ghError(reply, c.kind === 'anonymous' ? 401 : 403, c.kind === 'anonymous' ? 'Requires authentication' : 'Resource not accessible by integration');
    return userJson(base(), ctx.state.users.get(c.userId)!);
  });

  app.get('/user/repos', async (req, reply) => {
    const c = callerOf(req);
    if (c.kind !== 'user') return ghError(reply, 401, 'Requires authentication');
    const items = [...ctx.state.repos.values()].filter((r) => r.ownerId === c.userId);
    return sendPage(req, reply, base(), '/user/repos', items).map((r) => repoJson(base(), ctx.state, r));
  });

  app.get('/installation/repositories', async (req, reply) => {
    const c = callerOf(req);
    if (c.kind !== 'installation') return ghError(reply, 403, 'This endpoint requires an installation access token');
    const items = [...ctx.state.repos.values()].filter((r) => canSeeRepo(ctx.state, c, r.id));
    const page = sendPage(req, reply, base(), '/installation/repositories', items);
    const inst = ctx.state.installations.get(c.installationId)!;
    return { total_count: items.length, repository_selection: inst.repositorySelection, repositories: page.map((r) => repoJson(base(), ctx.state, r)) };
  });
}
