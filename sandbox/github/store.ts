/**
 * In-memory GitHub: users, repositories and what hangs off them. Issues and
 * pull requests share one number sequence per repository, as on GitHub, and a
 * pull request is also an issue (the issues list returns both).
 */
export interface User {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  name: string;
  email: string;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface Issue {
  id: number;
  number: number;
  repoId: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  userId: number;
  labels: string[];
  assignees: string[];
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Set when this issue is a pull request. */
  pull?: { head: string; base: string; draft: boolean; mergedAt: string | null; pullId: number };
}

export interface Commit {
  sha: string;
  repoId: number;
  message: string;
  authorName: string;
  authorEmail: string;
  date: string;
  parents: string[];
  added: string[];
  modified: string[];
  removed: string[];
}

export interface Release {
  id: number;
  repoId: number;
  tagName: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  targetCommitish: string;
  authorId: number;
  createdAt: string;
  publishedAt: string | null;
}

export interface WorkflowRun {
  id: number;
  repoId: number;
  name: string;
  runNumber: number;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  headBranch: string;
  headSha: string;
  createdAt: string;
  updatedAt: string;
}

export interface Repo {
  id: number;
  ownerId: number;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** path → content, for the simplified code search. */
  files: Map<string, string>;
  labels: Map<string, Label>;
}

export interface App {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  ownerId: number;
  /** SPKI PEM that app JWTs are verified against. */
  publicKeyPem: string;
}

export interface Installation {
  id: number;
  appId: number;
  accountId: number;
  repositorySelection: 'all' | 'selected';
  repoIds: number[];
  permissions: Record<string, string>;
  createdAt: string;
}

/** Who a token speaks for: a user (PAT or OAuth), or an installation. */
export type Principal = { kind: 'user'; userId: number } | { kind: 'installation'; installationId: number };

export interface GithubState {
  nextId: number;
  users: Map<number, User>;
  repos: Map<number, Repo>;
  issues: Issue[];
  commits: Commit[];
  releases: Release[];
  runs: WorkflowRun[];
  apps: Map<number, App>;
  installations: Map<number, Installation>;
  /** Repo hooks created through POST /repos/{o}/{r}/hooks: hook id → content type and repo. */
  hooks: Map<string, { repoId: number; contentType: 'json' | 'form' }>;
  /** Personal access tokens and installation tokens (OAuth tokens live in ctx.oauth). */
  tokens: Map<string, { principal: Principal; expiresAt: number | null; repoIds?: number[] }>;
}

export function createGithubState(): GithubState {
  return {
    nextId: 1000,
    users: new Map(),
    repos: new Map(),
    issues: [],
    commits: [],
    releases: [],
    runs: [],
    apps: new Map(),
    installations: new Map(),
    hooks: new Map(),
    tokens: new Map(),
  };
}

export const nextId = (s: GithubState): number => ++s.nextId;

export function userByLogin(s: GithubState, login: string): User | undefined {
  for (const u of s.users.values()) if (u.login.toLowerCase() === login.toLowerCase()) return u;
  return undefined;
}

export function repoByName(s: GithubState, owner: string, name: string): Repo | undefined {
  const o = userByLogin(s, owner);
  if (!o) return undefined;
  for (const r of s.repos.values()) if (r.ownerId === o.id && r.name.toLowerCase() === name.toLowerCase()) return r;
  return undefined;
}

export function ensureUser(s: GithubState, login: string, type: User['type'] = 'User'): User {
  const found = userByLogin(s, login);
  if (found) return found;
  const u: User = { id: nextId(s), login, type, name: login, email: `${login.toLowerCase()}@users.noreply.github.com` };
  s.users.set(u.id, u);
  return u;
}

export function createRepo(s: GithubState, owner: string, name: string, opts: { private?: boolean; description?: string } = {}): Repo {
  const o = ensureUser(s, owner);
  const now = new Date().toISOString();
  const repo: Repo = {
    id: nextId(s), ownerId: o.id, name, private: opts.private ?? false, description: opts.description ?? null,
    defaultBranch: 'main', createdAt: now, updatedAt: now, pushedAt: now, files: new Map(), labels: new Map(),
  };
  s.repos.set(repo.id, repo);
  return repo;
}

export function nextNumber(s: GithubState, repoId: number): number {
  let max = 0;
  for (const i of s.issues) if (i.repoId === repoId && i.number > max) max = i.number;
  return max + 1;
}

export function ensureLabel(s: GithubState, repo: Repo, name: string): Label {
  const existing = repo.labels.get(name);
  if (existing) return existing;
  const label: Label = { id: nextId(s), name, color: 'ededed', description: null };
  repo.labels.set(name, label);
  return label;
}
