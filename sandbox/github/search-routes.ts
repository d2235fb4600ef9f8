import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { canSeeRepo } from './auth.ts';
import { ghError } from './errors.ts';
import { callerOf } from './gate.ts';
import type { GithubKnobs } from './knobs.ts';
import { linkHeader, pageParams } from './pagination.ts';
import { issueJson, repoJson } from './representations.ts';
import { repoByName, type GithubState, type Issue } from './store.ts';
import { sortIssues } from './issue-routes.ts';

/**
 * `GET /search/issues` with the qualifiers a connector uses (repo:, is:,
 * state:, label:, author:, updated:/created: comparisons) and free text over
 * title and body; `GET /search/code` matches text in stored files. Both
 * answer `{total_count, incomplete_results, items}` and stop at 1,000 results.
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

export function tokenize(q: string): string[] {
  return [...q.matchAll(/(\S+:)?"[^"]*"|\S+/g)].map((m) => m[0].replace(/"/g, ''));
}

function compareDate(expr: string): (iso: string) => boolean {
  const m = /^(>=|<=|>|<)?(.+)$/.exec(expr)!;
  const op = m[1] ?? '=';
  const at = Date.parse(m[2]!);
  return (iso) => {
    const t = Date.parse(iso);
    if (op === '>') return t > at;
    if (op === '>=') return t >= at;
    if (op === '<') return t < at;
    if (op === '<=') return t <= at;
    return iso.slice(0, 10) === m[2]!.slice(0, 10);
  };
}

export function issueMatcher(ctx: Ctx, q: string): (i: Issue) => boolean {
  const tests: Array<(i: Issue) => boolean> = [];
  const words: string[] = [];
  for (const tok of tokenize(q)) {
    const idx = tok.indexOf(':');
    const key = idx > 0 ? tok.slice(0, idx).toLowerCase() : '';
    const val = idx > 0 ? tok.slice(idx + 1) : tok;
    if (key === 'repo') {
      const [o, r] = val.split('/');
      const repo = repoByName(ctx.state, o ?? '', r ?? '');
      tests.push((i) => i.repoId === repo?.id);
    } else if ((key === 'is' || key === 'type') && (val === 'issue' || val === 'pr')) {
      tests.push((i) => (val === 'pr') === Boolean(i.pull));
    } else if ((key === 'is' || key === 'state') && (val === 'open' || val === 'closed')) {
      tests.push((i) => i.state === val);
    } else if (key === 'label') {
      tests.push((i) => i.labels.includes(val));
    } else if (key === 'author') {
      tests.push((i) => ctx.state.users.get(i.userId)?.login === val);
    } else if (key === 'updated' || key === 'created') {
      const cmp = compareDate(val);
      tests.push((i) => cmp(key === 'updated' ? i.updatedAt : i.createdAt));
    } else if (key === 'in' || key === 'sort') {
      continue;
    } else {
      words.push(tok.toLowerCase());
    }
  }
  return (i) => tests.every((t) => t(i)) && words.every((w) => `${i.title} ${i.body ?? ''}`.toLowerCase().includes(w));
}

function respond<T>(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, path: string, all: T[], toJson: (t: T) => unknown) {
  const query = req.query as Record<string, unknown>;
  const p = pageParams(query);
  const cap = ctx.knobs.searchResultCap;
  if ((p.page - 1) * p.perPage >= cap) return ghError(reply, 422, `Only the first ${cap} search results are available`, 'https://docs.github.com/v3/search/');
  const reachable = all.slice(0, cap);
  const link = linkHeader(ctx.baseUrl(), path, query, p, reachable.length);
  if (link) reply.header('link', link);
  const page = reachable.slice((p.page - 1) * p.perPage, p.page * p.perPage);
  return { total_count: all.length, incomplete_results: false, items: page.map(toJson) };
}

function missingQ(reply: FastifyReply) {
  return ghError(reply, 422, 'Validation Failed', 'https://docs.github.com/v3/search', { errors: [{ resource: 'Search', field: 'q', code: 'missing' }] });
}

export function registerSearchRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/search/issues', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (!q.q) return missingQ(reply);
    const caller = callerOf(req);
    const match = issueMatcher(ctx, q.q);
    const found = ctx.state.issues.filter((i) => canSeeRepo(ctx.state, caller, i.repoId) && match(i));
    const sorted = q.sort ? sortIssues(found, q.sort, q.order) : sortIssues(found, 'created', 'desc');
    return respond(ctx, req, reply, '/search/issues', sorted, (i) => ({ ...issueJson(ctx.baseUrl(), ctx.state, i), score: 1 }));
  });

  app.get('/search/code', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (!q.q) return missingQ(reply);
    const caller = callerOf(req);
    let repoFilter: number | undefined;
    const words: string[] = [];
    for (const tok of tokenize(q.q)) {
      if (tok.startsWith('repo:')) {
        const [o, r] = tok.slice(5).split('/');
        repoFilter = repoByName(ctx.state, o ?? '', r ?? '')?.id ?? -1;
      } else if (!tok.includes(':')) words.push(tok.toLowerCase());
    }
    const hits: Array<{ repoId: number; path: string }> = [];
    for (const repo of ctx.state.repos.values()) {
      if ((repoFilter !== undefined && repo.id !== repoFilter) || !canSeeRepo(ctx.state, caller, repo.id)) continue;
      for (const [path, content] of repo.files) {
        const text = `${path}\n${content}`.toLowerCase();
        if (words.every((w) => text.includes(w))) hits.push({ repoId: repo.id, path });
      }
    }
    return respond(ctx, req, reply, '/search/code', hits, (h) => {
      const repo = ctx.state.repos.get(h.repoId)!;
      const full = `${ctx.state.users.get(repo.ownerId)!.login}/${repo.name}`;
      const sha = Buffer.from(`${full}:${h.path}`).toString('hex').slice(0, 40).padEnd(40, '0');
      return {
        name: h.path.split('/').pop(), path: h.path, sha,
        url: `${ctx.baseUrl()}/repos/${full}/contents/${h.path}?ref=${repo.defaultBranch}`,
        git_url: `${ctx.baseUrl()}/repos/${full}/git/blobs/${sha}`, html_url: `${ctx.baseUrl()}/${full}/blob/${repo.defaultBranch}/${h.path}`,
        repository: repoJson(ctx.baseUrl(), ctx.state, repo), score: 1,
      };
    });
  });
}
