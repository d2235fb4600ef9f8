import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { canSeeRepo, type Caller } from './auth.ts';
import { ghError, notFound } from './errors.ts';
import { callerOf } from './gate.ts';
import type { GithubKnobs } from './knobs.ts';
import { ensureUser, repoByName, type GithubState, type Repo, type User } from './store.ts';

/**
 * GitHub addresses a repository as `/repos/{owner}/{repo}` and, in the Link
 * headers it hands out, as `/repositories/{id}`. Both reach the same handler.
 * A repository the caller may not see is a 404, never a 403.
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

export function repoOf(ctx: Ctx, req: FastifyRequest): Repo | undefined {
  const p = req.params as { owner?: string; repo?: string; repoId?: string };
  const repo = p.repoId !== undefined ? ctx.state.repos.get(Number(p.repoId)) : repoByName(ctx.state, p.owner ?? '', p.repo ?? '');
  if (!repo || !canSeeRepo(ctx.state, callerOf(req), repo.id)) return undefined;
  return repo;
}

export type RepoHandler = (req: FastifyRequest, reply: FastifyReply, repo: Repo) => unknown;

/** Registers `suffix` under both repository addresses. */
export function repoRoute(app: FastifyInstance, ctx: Ctx, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', suffix: string, handler: RepoHandler, docs?: string): void {
  const wrapped: RouteHandlerMethod = async (req, reply) => {
    const repo = repoOf(ctx, req);
    if (!repo) return notFound(reply, docs);
    return handler(req, reply, repo);
  };
  app.route({ method, url: `/repos/:owner/:repo${suffix}`, handler: wrapped });
  app.route({ method, url: `/repositories/:repoId${suffix}`, handler: wrapped });
}

/** The canonical path GitHub puts in Link headers for a repository's lists. */
export const canonicalPath = (repo: Repo, suffix: string) => `/repositories/${repo.id}${suffix}`;

/** The account a write is attributed to, or a reply when the caller may not write. */
export function writer(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): User | undefined {
  const c: Caller = callerOf(req);
  if (c.kind === 'anonymous') {
    void ghError(reply, 401, 'Requires authentication', 'https://docs.github.com/rest');
    return undefined;
  }
  if (c.kind === 'app') {
    void ghError(reply, 403, 'Resource not accessible by integration', 'https://docs.github.com/rest');
    return undefined;
  }
  if (c.kind === 'user') return ctx.state.users.get(c.userId);
  const inst = ctx.state.installations.get(c.installationId);
  const app = inst ? ctx.state.apps.get(inst.appId) : undefined;
  return ensureUser(ctx.state, `${app?.slug ?? 'app'}[bot]`, 'Bot');
}
