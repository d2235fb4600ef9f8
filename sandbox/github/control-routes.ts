import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { resetRateLimits } from './gate.ts';
import { applyIssueEdit } from './issue-routes.ts';
import type { GithubKnobs } from './knobs.ts';
import { issueJson } from './representations.ts';
import { addCommit, addIssue } from './seed.ts';
import { ensureUser, repoByName, userByLogin, type GithubState, type Repo } from './store.ts';
import { emit, issuesPayload, pushPayload } from './webhooks.ts';

/**
 * What a person does on github.com, as `/_sandbox/github/...` calls: open or
 * edit an issue, push commits. Each fires the webhook GitHub would send.
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

function repoParam(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): Repo | undefined {
  const p = req.params as { owner: string; repo: string };
  const repo = repoByName(ctx.state, p.owner, p.repo);
  if (!repo) void reply.code(404).send({ error: `no repository ${p.owner}/${p.repo}` });
  return repo;
}

export function registerControlRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/_sandbox/github/repos/:owner/:repo/issues', async (req, reply) => {
    const repo = repoParam(ctx, req, reply);
    if (!repo) return reply;
    const b = (req.body ?? {}) as { title?: string; body?: string; labels?: string[]; author?: string };
    const issue = addIssue(ctx.state, repo, { title: b.title ?? 'Untitled', ...(b.body ? { body: b.body } : {}), ...(b.labels ? { labels: b.labels } : {}), ...(b.author ? { author: b.author } : {}) });
    await emit(ctx, 'issues', issuesPayload(ctx, 'opened', issue, ctx.state.users.get(issue.userId)!), repo.id);
    return reply.code(201).send(issueJson(ctx.baseUrl(), ctx.state, issue));
  });

  app.patch('/_sandbox/github/repos/:owner/:repo/issues/:number', async (req, reply) => {
    const repo = repoParam(ctx, req, reply);
    if (!repo) return reply;
    const n = Number((req.params as { number: string }).number);
    const issue = ctx.state.issues.find((i) => i.repoId === repo.id && i.number === n);
    if (!issue) return reply.code(404).send({ error: `no issue #${n}` });
    const b = (req.body ?? {}) as Record<string, unknown>;
    const actor = ensureUser(ctx.state, typeof b.actor === 'string' ? b.actor : ctx.state.users.get(repo.ownerId)!.login);
    const { actions, changes } = applyIssueEdit(issue, b, ctx);
    for (const action of actions) await emit(ctx, 'issues', issuesPayload(ctx, action, issue, actor, action === 'edited' ? changes : undefined), repo.id);
    return issueJson(ctx.baseUrl(), ctx.state, issue);
  });

  app.post('/_sandbox/github/repos/:owner/:repo/push', async (req, reply) => {
    const repo = repoParam(ctx, req, reply);
    if (!repo) return reply;
    const b = (req.body ?? {}) as { ref?: string; pusher?: string; commits?: Array<{ message: string; added?: string[]; modified?: string[]; removed?: string[] }> };
    const before = ctx.state.commits.filter((c) => c.repoId === repo.id).at(-1)?.sha ?? '0'.repeat(40);
    const now = new Date().toISOString();
    const commits = (b.commits ?? [{ message: 'Update README.md', modified: ['README.md'] }]).map((c) => addCommit(ctx.state, repo, c.message, now, c));
    const pusher = userByLogin(ctx.state, b.pusher ?? '') ?? ctx.state.users.get(repo.ownerId)!;
    const payload = pushPayload(ctx, repo, b.ref ?? `refs/heads/${repo.defaultBranch}`, before, commits, pusher);
    await emit(ctx, 'push', payload, repo.id);
    return reply.code(201).send({ before, after: payload.after, commits: commits.map((c) => c.sha) });
  });

  // Kept as an alias: POST /_sandbox/reset clears the windows too, along with everything else.
  app.post('/_sandbox/github/rate-limit/reset', async () => {
    resetRateLimits(ctx);
    return { ok: true };
  });
}
