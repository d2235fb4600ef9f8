import { createHash, generateKeyPairSync } from 'node:crypto';
import type { FakeContext } from '../core/server.ts';
import { githubToken } from './app-routes.ts';
import type { GithubKnobs } from './knobs.ts';
import { createGithubState, createRepo, ensureLabel, ensureUser, nextId, nextNumber, repoByName, type GithubState, type Issue, type Repo } from './store.ts';

/**
 * The world a fresh fake starts with (octocat, one repository, a PAT, an
 * OAuth App and a GitHub App installed on octocat) and the seeding of more:
 * a fixture object, or `{ generate: { issues: 500, pulls: 20, commits: 50, runs: 10 } }`.
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

export interface Defaults {
  pat: string;
  clientId: string;
  clientSecret: string;
  appId: number;
  appPrivateKeyPem: string;
  installationId: number;
}

const defaultsOf = new WeakMap<GithubState, Defaults>();
export const defaultsFor = (s: GithubState): Defaults | undefined => defaultsOf.get(s);

export function initialState(): GithubState {
  const s = createGithubState();
  const octocat = ensureUser(s, 'octocat');
  createRepo(s, 'octocat', 'Hello-World', { description: 'My first repository on GitHub!' });
  const pat = githubToken('ghp');
  s.tokens.set(pat, { principal: { kind: 'user', userId: octocat.id }, expiresAt: null });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const appId = nextId(s);
  s.apps.set(appId, {
    id: appId, slug: 'switchyard-sandbox', name: 'Switchyard Sandbox', clientId: 'Iv23liSandboxApp0001', ownerId: octocat.id,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  const installationId = nextId(s);
  s.installations.set(installationId, {
    id: installationId, appId, accountId: octocat.id, repositorySelection: 'all', repoIds: [],
    permissions: { issues: 'write', metadata: 'read', contents: 'read', pull_requests: 'read' }, createdAt: new Date().toISOString(),
  });
  defaultsOf.set(s, {
    pat, clientId: 'Ov23liSandboxClient01', clientSecret: 'sandbox-github-client-secret', appId,
    appPrivateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), installationId,
  });
  return s;
}

/** Keeps the printed PAT and App key valid across /_sandbox/reset: the fresh state takes them over. */
export function keepDefaults(previous: GithubState, next: GithubState): void {
  const old = defaultsOf.get(previous);
  const fresh = defaultsOf.get(next);
  if (!old || !fresh) return;
  const principal = next.tokens.get(fresh.pat);
  next.tokens.delete(fresh.pat);
  if (principal) next.tokens.set(old.pat, principal);
  const app = next.apps.get(fresh.appId);
  const oldApp = previous.apps.get(old.appId);
  if (app && oldApp) app.publicKeyPem = oldApp.publicKeyPem;
  defaultsOf.set(next, { ...fresh, pat: old.pat, appPrivateKeyPem: old.appPrivateKeyPem });
}

interface IssueFixture { title: string; body?: string; state?: 'open' | 'closed'; labels?: string[]; author?: string; createdAt?: string; updatedAt?: string; pull?: { head: string; base?: string } }
interface RepoFixture { owner: string; name: string; private?: boolean; issues?: IssueFixture[]; files?: Record<string, string>; commits?: Array<{ message: string; date?: string }> }
interface Fixture {
  users?: string[];
  repos?: RepoFixture[];
  apps?: Array<{ id?: number; slug?: string; clientId?: string; owner?: string; publicKeyPem: string; installations?: Array<{ id?: number; account: string; repositories?: string[] }> }>;
  tokens?: Array<{ token: string; login: string }>;
  generate?: { repo?: string; issues?: number; pulls?: number; commits?: number; runs?: number };
}

export function addIssue(s: GithubState, repo: Repo, f: IssueFixture): Issue {
  const author = ensureUser(s, f.author ?? s.users.get(repo.ownerId)!.login);
  const created = f.createdAt ?? new Date().toISOString();
  for (const l of f.labels ?? []) ensureLabel(s, repo, l);
  const closed = f.state === 'closed';
  const issue: Issue = {
    id: nextId(s), number: nextNumber(s, repo.id), repoId: repo.id, title: f.title, body: f.body ?? null,
    state: closed ? 'closed' : 'open', stateReason: closed ? 'completed' : null, userId: author.id, labels: f.labels ?? [],
    assignees: [], comments: 0, createdAt: created, updatedAt: f.updatedAt ?? created, closedAt: closed ? (f.updatedAt ?? created) : null,
    ...(f.pull ? { pull: { head: f.pull.head, base: f.pull.base ?? repo.defaultBranch, draft: false, mergedAt: null, pullId: nextId(s) } } : {}),
  };
  s.issues.push(issue);
  return issue;
}

export function addCommit(s: GithubState, repo: Repo, message: string, date: string, files: { added?: string[]; modified?: string[]; removed?: string[] } = {}) {
  const prev = s.commits.filter((c) => c.repoId === repo.id).at(-1);
  const sha = createHash('sha1').update(`${repo.id}:${prev?.sha ?? ''}:${message}:${date}`).digest('hex');
  const owner = s.users.get(repo.ownerId)!;
  const commit = { sha, repoId: repo.id, message, authorName: owner.login, authorEmail: owner.email, date, parents: prev ? [prev.sha] : [], added: files.added ?? [], modified: files.modified ?? [], removed: files.removed ?? [] };
  s.commits.push(commit);
  repo.pushedAt = date;
  return commit;
}

function generate(ctx: Ctx, g: NonNullable<Fixture['generate']>): void {
  const s = ctx.state;
  const [owner, name] = (g.repo ?? 'octocat/Hello-World').split('/');
  const repo = repoByName(s, owner!, name!) ?? createRepo(s, owner!, name!);
  const words = ['sync', 'webhook', 'token', 'crash', 'docs', 'retry', 'timeout', 'mapping', 'export', 'login'];
  const pick = () => words[Math.floor(ctx.random() * words.length)]!;
  // Spread timestamps over the past 30 days, oldest first, so `since` filters cut real slices.
  const start = Date.now() - 30 * 86_400_000;
  const total = (g.issues ?? 0) + (g.pulls ?? 0);
  for (let k = 0; k < total; k += 1) {
    const created = new Date(start + Math.floor((k / Math.max(1, total)) * 29 * 86_400_000)).toISOString();
    const updated = new Date(Date.parse(created) + Math.floor(ctx.random() * 86_400_000)).toISOString();
    addIssue(s, repo, {
      title: `${pick()} ${pick()} #${k + 1}`, body: `Generated ${pick()} report`, state: ctx.random() < 0.3 ? 'closed' : 'open',
      labels: ctx.random() < 0.5 ? ['bug'] : [], createdAt: created, updatedAt: updated,
      ...(k >= (g.issues ?? 0) ? { pull: { head: `feature-${k}` } } : {}),
    });
  }
  for (let k = 0; k < (g.commits ?? 0); k += 1) addCommit(s, repo, `${pick()}: change ${k + 1}`, new Date(start + k * 3_600_000).toISOString());
  for (let k = 0; k < (g.runs ?? 0); k += 1) {
    const at = new Date(start + k * 7_200_000).toISOString();
    const conclusion = ctx.random() < 0.8 ? 'success' : 'failure';
    s.runs.push({ id: nextId(s), repoId: repo.id, name: 'CI', runNumber: k + 1, event: 'push', status: 'completed', conclusion, headBranch: repo.defaultBranch, headSha: s.commits.at(-1)?.sha ?? '0'.repeat(40), createdAt: at, updatedAt: at });
  }
}

export function seedGithub(ctx: Ctx, spec: unknown): void {
  const f = (spec ?? {}) as Fixture;
  const s = ctx.state;
  for (const login of f.users ?? []) ensureUser(s, login);
  for (const r of f.repos ?? []) {
    const repo = repoByName(s, r.owner, r.name) ?? createRepo(s, r.owner, r.name, { private: r.private ?? false });
    for (const i of r.issues ?? []) addIssue(s, repo, i);
    for (const [path, content] of Object.entries(r.files ?? {})) repo.files.set(path, content);
    for (const c of r.commits ?? []) addCommit(s, repo, c.message, c.date ?? new Date().toISOString());
  }
  for (const a of f.apps ?? []) {
    const id = a.id ?? nextId(s);
    const owner = ensureUser(s, a.owner ?? 'octocat');
    s.apps.set(id, { id, slug: a.slug ?? `app-${id}`, name: a.slug ?? `App ${id}`, clientId: a.clientId ?? `Iv23li${id}`, ownerId: owner.id, publicKeyPem: a.publicKeyPem });
    for (const inst of a.installations ?? []) {
      const account = ensureUser(s, inst.account);
      const repoIds = (inst.repositories ?? []).map((n) => repoByName(s, inst.account, n)?.id).filter((x): x is number => x !== undefined);
      const instId = inst.id ?? nextId(s);
      s.installations.set(instId, { id: instId, appId: id, accountId: account.id, repositorySelection: inst.repositories ? 'selected' : 'all', repoIds, permissions: { issues: 'write', metadata: 'read' }, createdAt: new Date().toISOString() });
    }
  }
  for (const t of f.tokens ?? []) s.tokens.set(t.token, { principal: { kind: 'user', userId: ensureUser(s, t.login).id }, expiresAt: null });
  if (f.generate) generate(ctx, f.generate);
}
