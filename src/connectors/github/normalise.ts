/**
 * GitHub objects as flat records in camelCase. Issues and pull requests are
 * keyed by their number, which is what every per-repository endpoint and
 * webhook uses; the global id stays as `githubId`. Timestamps are already
 * ISO strings at GitHub.
 */
type Json = Record<string, any>;

const login = (u: unknown): string | null => (u && typeof u === 'object' ? String((u as Json).login) : null);
const ms = (iso: unknown): number => (typeof iso === 'string' ? Date.parse(iso) : 0);

export function issueRecord(i: Json) {
  return {
    id: String(i.number), number: i.number as number, githubId: i.id as number, title: i.title as string, body: (i.body ?? null) as string | null,
    state: i.state as string, stateReason: (i.state_reason ?? null) as string | null,
    labels: ((i.labels ?? []) as Array<string | Json>).map((l) => (typeof l === 'string' ? l : String(l.name))),
    assignees: ((i.assignees ?? []) as Json[]).map((a) => String(a.login)),
    author: login(i.user), comments: (i.comments ?? 0) as number, locked: i.locked === true, milestone: (i.milestone?.title ?? null) as string | null,
    htmlUrl: i.html_url as string, createdAt: i.created_at as string, updatedAt: i.updated_at as string, closedAt: (i.closed_at ?? null) as string | null,
  };
}

export function pullRecord(p: Json) {
  return {
    id: String(p.number), number: p.number as number, githubId: p.id as number, title: p.title as string, body: (p.body ?? null) as string | null,
    state: p.state as string, draft: p.draft === true, merged: p.merged_at != null, mergedAt: (p.merged_at ?? null) as string | null,
    head: (p.head?.ref ?? null) as string | null, base: (p.base?.ref ?? null) as string | null, author: login(p.user),
    labels: ((p.labels ?? []) as Json[]).map((l) => String(l.name)), htmlUrl: p.html_url as string,
    createdAt: p.created_at as string, updatedAt: p.updated_at as string, closedAt: (p.closed_at ?? null) as string | null,
  };
}

export function commitRecord(c: Json) {
  return {
    id: c.sha as string, sha: c.sha as string, message: c.commit?.message as string,
    authorName: (c.commit?.author?.name ?? null) as string | null, authorEmail: (c.commit?.author?.email ?? null) as string | null,
    authoredAt: (c.commit?.author?.date ?? null) as string | null, committerName: (c.commit?.committer?.name ?? null) as string | null,
    committedAt: (c.commit?.committer?.date ?? null) as string | null, authorLogin: login(c.author),
    parents: ((c.parents ?? []) as Json[]).map((p) => String(p.sha)), htmlUrl: c.html_url as string,
  };
}

export function releaseRecord(r: Json) {
  return {
    id: String(r.id), tagName: r.tag_name as string, name: (r.name ?? null) as string | null, body: (r.body ?? null) as string | null,
    draft: r.draft === true, prerelease: r.prerelease === true, targetCommitish: r.target_commitish as string, author: login(r.author),
    htmlUrl: r.html_url as string, createdAt: r.created_at as string, publishedAt: (r.published_at ?? null) as string | null,
  };
}

export function runRecord(w: Json) {
  return {
    id: String(w.id), name: w.name as string, runNumber: w.run_number as number, runAttempt: (w.run_attempt ?? 1) as number, event: w.event as string,
    status: w.status as string, conclusion: (w.conclusion ?? null) as string | null, headBranch: (w.head_branch ?? null) as string | null,
    headSha: w.head_sha as string, htmlUrl: w.html_url as string, createdAt: w.created_at as string, updatedAt: w.updated_at as string,
  };
}

export function repositoryRecord(r: Json) {
  return {
    id: String(r.id), name: r.name as string, fullName: r.full_name as string, owner: login(r.owner), private: r.private === true,
    description: (r.description ?? null) as string | null, defaultBranch: r.default_branch as string, htmlUrl: r.html_url as string,
    openIssuesCount: (r.open_issues_count ?? 0) as number, archived: r.archived === true, visibility: (r.visibility ?? null) as string | null,
    createdAt: r.created_at as string, updatedAt: r.updated_at as string, pushedAt: (r.pushed_at ?? null) as string | null,
  };
}

/** A search hit names its repository only by URL: `…/repos/{owner}/{repo}`. */
export function searchRecord(i: Json) {
  const m = /\/repos\/([^/]+)\/([^/]+)$/.exec(String(i.repository_url ?? ''));
  const repository = m ? `${m[1]}/${m[2]}` : '';
  return { ...issueRecord(i), id: `${repository}#${i.number}`, repository, isPullRequest: i.pull_request !== undefined };
}

export type IssueRecord = ReturnType<typeof issueRecord>;
export type PullRecord = ReturnType<typeof pullRecord>;
export type CommitRecord = ReturnType<typeof commitRecord>;
export type ReleaseRecord = ReturnType<typeof releaseRecord>;
export type RunRecord = ReturnType<typeof runRecord>;
export type RepositoryRecord = ReturnType<typeof repositoryRecord>;
export type SearchRecord = ReturnType<typeof searchRecord>;

export const modifiedAt = {
  issue: (r: IssueRecord) => ms(r.updatedAt),
  pull: (r: PullRecord) => ms(r.updatedAt),
  commit: (r: CommitRecord) => ms(r.committedAt ?? r.authoredAt),
  release: (r: ReleaseRecord) => ms(r.publishedAt ?? r.createdAt),
  run: (r: RunRecord) => ms(r.updatedAt),
  repository: (r: RepositoryRecord) => ms(r.updatedAt),
};
