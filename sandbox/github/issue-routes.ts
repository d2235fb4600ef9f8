import type { FastifyInstance } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { notFound, validationFailed } from './errors.ts';
import type { GithubKnobs } from './knobs.ts';
import { sendPage } from './pagination.ts';
import { canonicalPath, repoRoute, writer } from './repo-scope.ts';
import { issueJson, pullJson } from './representations.ts';
import { ensureLabel, nextId, nextNumber, type GithubState, type Issue, type User } from './store.ts';
import { emit, issuesPayload } from './webhooks.ts';

/**
 * Issues and pull requests. The issues list includes pull requests (marked
 * by a `pull_request` key), filters by `state` (default open) and `since`
 * (updated at or after), and sorts by created/updated/comments.
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

const ISSUE_DOCS = 'https://docs.github.com/rest/issues/issues';

type SortKey = 'created' | 'updated' | 'comments' | 'popularity' | 'long-running';

export function sortIssues(items: Issue[], sort: string | undefined, direction: string | undefined): Issue[] {
  const key = (sort ?? 'created') as SortKey;
  const sign = (direction ?? 'desc') === 'asc' ? 1 : -1;
  const value = (i: Issue): number =>
    key === 'updated' ? Date.parse(i.updatedAt) : key === 'comments' || key === 'popularity' ? i.comments : Date.parse(i.createdAt);
  return [...items].sort((a, b) => sign * (value(a) - value(b)) || sign * (a.number - b.number));
}

function stateFilter(state: unknown): (i: Issue) => boolean {
  const s = typeof state === 'string' ? state : 'open';
  return s === 'all' ? () => true : (i) => i.state === s;
}

/** Applies an edit the way PATCH does and says which webhook actions it implies. */
export function applyIssueEdit(issue: Issue, body: Record<string, unknown>, ctx: Ctx): { actions: string[]; changes: Record<string, { from: unknown }> } {
  const changes: Record<string, { from: unknown }> = {};
  const actions: string[] = [];
  if (typeof body.title === 'string' && body.title !== issue.title) {
    changes.title = { from: issue.title };
    issue.title = body.title;
  }
  if ((typeof body.body === 'string' || body.body === null) && body.body !== issue.body) {
    changes.body = { from: issue.body };
    issue.body = body.body as string | null;
  }
  if (Array.isArray(body.labels)) {
    const repo = ctx.state.repos.get(issue.repoId)!;
    issue.labels = body.labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: string }).name)));
    for (const l of issue.labels) ensureLabel(ctx.state, repo, l);
  }
  if (Array.isArray(body.assignees)) issue.assignees = body.assignees.map(String);
  if (Object.keys(changes).length > 0) actions.push('edited');
  if ((body.state === 'closed' || body.state === 'open') && body.state !== issue.state) {
    issue.state = body.state;
    issue.closedAt = body.state === 'closed' ? new Date().toISOString() : null;
    issue.stateReason = body.state === 'closed' ? ((body.state_reason as Issue['stateReason']) ?? 'completed') : 'reopened';
    actions.push(body.state === 'closed' ? 'closed' : 'reopened');
  }
  issue.updatedAt = new Date().toISOString();
  return { actions, changes };
}

export function createIssue(ctx: Ctx, repoId: number, author: User, input: { title: string; body?: string | null; labels?: unknown[]; assignees?: unknown[] }): Issue {
  const now = new Date().toISOString();
  const repo = ctx.state.repos.get(repoId)!;
  const labels = (input.labels ?? []).map((l) => (typeof l === 'string' ? l : String((l as { name?: string }).name)));
  for (const l of labels) ensureLabel(ctx.state, repo, l);
  const issue: Issue = {
    id: nextId(ctx.state), number: nextNumber(ctx.state, repoId), repoId, title: input.title, body: input.body ?? null,
    state: 'open', stateReason: null, userId: author.id, labels, assignees: (input.assignees ?? []).map(String), comments: 0,
    createdAt: now, updatedAt: now, closedAt: null,
  };
  ctx.state.issues.push(issue);
  return issue;
}

export function registerIssueRoutes(app: FastifyInstance, ctx: Ctx): void {
  const base = () => ctx.baseUrl();

  repoRoute(app, ctx, 'GET', '/issues', (req, reply, repo) => {
    const q = req.query as Record<string, string | undefined>;
    const since = q.since ? Date.parse(q.since) : undefined;
    const labels = q.labels ? q.labels.split(',').map((l) => l.trim()) : [];
    let items = ctx.state.issues.filter((i) => i.repoId === repo.id).filter(stateFilter(q.state));
    if (since !== undefined && !Number.isNaN(since)) items = items.filter((i) => Date.parse(i.updatedAt) >= since);
    if (labels.length > 0) items = items.filter((i) => labels.every((l) => i.labels.includes(l)));
    if (q.creator) items = items.filter((i) => ctx.state.users.get(i.userId)?.login === q.creator);
    if (q.assignee && q.assignee !== '*') items = items.filter((i) => q.assignee === 'none' ? i.assignees.length === 0 : i.assignees.includes(q.assignee!));
    const page = sendPage(req, reply, base(), canonicalPath(repo, '/issues'), sortIssues(items, q.sort, q.direction));
    return page.map((i) => issueJson(base(), ctx.state, i));
  }, ISSUE_DOCS);

  repoRoute(app, ctx, 'GET', '/issues/:number', (req, reply, repo) => {
    const n = Number((req.params as { number: string }).number);
    const issue = ctx.state.issues.find((i) => i.repoId === repo.id && i.number === n);
    if (!issue) return notFound(reply, `${ISSUE_DOCS}#get-an-issue`);
    return issueJson(base(), ctx.state, issue);
  }, ISSUE_DOCS);

  repoRoute(app, ctx, 'POST', '/issues', async (req, reply, repo) => {
    const author = writer(ctx, req, reply);
    if (!author) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.title !== 'string' && typeof body.title !== 'number') return validationFailed(reply, 'Issue', 'title');
    const issue = createIssue(ctx, repo.id, author, { title: String(body.title), body: (body.body as string | undefined) ?? null, labels: body.labels as unknown[], assignees: body.assignees as unknown[] });
    await emit(ctx, 'issues', issuesPayload(ctx, 'opened', issue, author), repo.id);
    reply.header('location', `${base()}/repos/${ctx.state.users.get(repo.ownerId)!.login}/${repo.name}/issues/${issue.number}`);
    return reply.code(201).send(issueJson(base(), ctx.state, issue));
  }, ISSUE_DOCS);

  repoRoute(app, ctx, 'PATCH', '/issues/:number', async (req, reply, repo) => {
    const author = writer(ctx, req, reply);
    if (!author) return reply;
    const n = Number((req.params as { number: string }).number);
    const issue = ctx.state.issues.find((i) => i.repoId === repo.id && i.number === n);
    if (!issue) return notFound(reply, `${ISSUE_DOCS}#update-an-issue`);
    const { actions, changes } = applyIssueEdit(issue, (req.body ?? {}) as Record<string, unknown>, ctx);
    for (const action of actions) await emit(ctx, 'issues', issuesPayload(ctx, action, issue, author, action === 'edited' ? changes : undefined), repo.id);
    return issueJson(base(), ctx.state, issue);
  }, ISSUE_DOCS);

  repoRoute(app, ctx, 'GET', '/pulls', (req, reply, repo) => {
    const q = req.query as Record<string, string | undefined>;
    let items = ctx.state.issues.filter((i) => i.repoId === repo.id && i.pull).filter(stateFilter(q.state));
    if (q.base) items = items.filter((i) => i.pull!.base === q.base);
    if (q.head) items = items.filter((i) => i.pull!.head === q.head!.split(':').pop());
    const page = sendPage(req, reply, base(), canonicalPath(repo, '/pulls'), sortIssues(items, q.sort, q.direction));
    return page.map((i) => pullJson(base(), ctx.state, i));
  });

  repoRoute(app, ctx, 'GET', '/pulls/:number', (req, reply, repo) => {
    const n = Number((req.params as { number: string }).number);
    const pr = ctx.state.issues.find((i) => i.repoId === repo.id && i.number === n && i.pull);
    if (!pr) return notFound(reply, 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request');
    return pullJson(base(), ctx.state, pr);
  });
}
