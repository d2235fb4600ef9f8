import type { Commit, GithubState, Issue, Release, Repo, User, WorkflowRun } from './store.ts';

/**
 * The JSON GitHub returns for each object, with the same keys and URL fields
 * as api.github.com. The fake serves both the API and the "html" pages from
 * one origin, so `api` and `html` are the same base here.
 */
const nodeId = (kind: string, id: number): string => Buffer.from(`0${kind}${id}`).toString('base64');

export function userJson(base: string, u: User) {
  const api = `${base}/users/${u.login}`;
  return {
    login: u.login, id: u.id, node_id: nodeId('4:User', u.id),
    avatar_url: `${base}/avatars/u/${u.id}?v=4`, gravatar_id: '', url: api, html_url: `${base}/${u.login}`,
    followers_url: `${api}/followers`, following_url: `${api}/following{/other_user}`, gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`, subscriptions_url: `${api}/subscriptions`, organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`, events_url: `${api}/events{/privacy}`, received_events_url: `${api}/received_events`,
    type: u.type, user_view_type: 'public', site_admin: false,
  };
}

export function repoJson(base: string, s: GithubState, r: Repo) {
  const owner = s.users.get(r.ownerId)!;
  const full = `${owner.login}/${r.name}`;
  const api = `${base}/repos/${full}`;
  const openIssues = s.issues.filter((i) => i.repoId === r.id && i.state === 'open').length;
  return {
    id: r.id, node_id: nodeId('10:Repository', r.id), name: r.name, full_name: full, private: r.private,
    owner: userJson(base, owner), html_url: `${base}/${full}`, description: r.description, fork: false, url: api,
    forks_url: `${api}/forks`, keys_url: `${api}/keys{/key_id}`, collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`, hooks_url: `${api}/hooks`, issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`, assignees_url: `${api}/assignees{/user}`, branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`, blobs_url: `${api}/git/blobs{/sha}`, git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`, trees_url: `${api}/git/trees{/sha}`, statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`, stargazers_url: `${api}/stargazers`, contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`, subscription_url: `${api}/subscription`, commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`, comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`, contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`, merges_url: `${api}/merges`, archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`, issues_url: `${api}/issues{/number}`, pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`, notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`, releases_url: `${api}/releases{/id}`, deployments_url: `${api}/deployments`,
    created_at: r.createdAt, updated_at: r.updatedAt, pushed_at: r.pushedAt,
    git_url: `git://${new URL(base).host}/${full}.git`, ssh_url: `git@${new URL(base).hostname}:${full}.git`,
    clone_url: `${base}/${full}.git`, svn_url: `${base}/${full}`, homepage: null, size: 0,
    stargazers_count: 0, watchers_count: 0, language: null, has_issues: true, has_projects: true, has_downloads: true,
    has_wiki: true, has_pages: false, has_discussions: false, forks_count: 0, mirror_url: null, archived: false, disabled: false,
    open_issues_count: openIssues, license: null, allow_forking: true, is_template: false, web_commit_signoff_required: false,
    topics: [], visibility: r.private ? 'private' : 'public', forks: 0, open_issues: openIssues, watchers: 0,
    default_branch: r.defaultBranch,
  };
}

export function issueJson(base: string, s: GithubState, i: Issue) {
  const repo = s.repos.get(i.repoId)!;
  const owner = s.users.get(repo.ownerId)!;
  const full = `${owner.login}/${repo.name}`;
  const api = `${base}/repos/${full}/issues/${i.number}`;
  const person = (login: string) => s.users.get([...s.users.values()].find((u) => u.login === login)?.id ?? -1);
  const assignees = i.assignees.map(person).filter((u): u is User => u !== undefined).map((u) => userJson(base, u));
  return {
    url: api, repository_url: `${base}/repos/${full}`, labels_url: `${api}/labels{/name}`, comments_url: `${api}/comments`,
    events_url: `${api}/events`, html_url: `${base}/${full}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    id: i.id, node_id: nodeId(i.pull ? '11:PullRequest' : '5:Issue', i.id), number: i.number, title: i.title,
    user: userJson(base, s.users.get(i.userId)!),
    labels: i.labels.map((name) => {
      const l = repo.labels.get(name);
      return { id: l?.id ?? 0, node_id: nodeId('5:Label', l?.id ?? 0), url: `${base}/repos/${full}/labels/${encodeURIComponent(name)}`, name, color: l?.color ?? 'ededed', default: false, description: l?.description ?? null };
    }),
    state: i.state, locked: false, assignee: assignees[0] ?? null, assignees, milestone: null, comments: i.comments,
    created_at: i.createdAt, updated_at: i.updatedAt, closed_at: i.closedAt, author_association: i.userId === repo.ownerId ? 'OWNER' : 'NONE',
    active_lock_reason: null, body: i.body,
    reactions: { url: `${api}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    timeline_url: `${api}/timeline`, performed_via_github_app: null, state_reason: i.stateReason,
    ...(i.pull
      ? { draft: i.pull.draft, pull_request: { url: `${base}/repos/${full}/pulls/${i.number}`, html_url: `${base}/${full}/pull/${i.number}`, diff_url: `${base}/${full}/pull/${i.number}.diff`, patch_url: `${base}/${full}/pull/${i.number}.patch`, merged_at: i.pull.mergedAt } }
      : {}),
  };
}

export function pullJson(base: string, s: GithubState, i: Issue) {
  const pull = i.pull!;
  const repo = s.repos.get(i.repoId)!;
  const owner = s.users.get(repo.ownerId)!;
  const full = `${owner.login}/${repo.name}`;
  const api = `${base}/repos/${full}/pulls/${i.number}`;
  const asIssue = issueJson(base, s, i);
  const ref = (name: string) => ({ label: `${owner.login}:${name}`, ref: name, sha: headSha(s, repo.id), user: userJson(base, owner), repo: repoJson(base, s, repo) });
  return {
    url: api, id: pull.pullId, node_id: nodeId('11:PullRequest', pull.pullId), html_url: `${base}/${full}/pull/${i.number}`,
    diff_url: `${base}/${full}/pull/${i.number}.diff`, patch_url: `${base}/${full}/pull/${i.number}.patch`,
    issue_url: `${base}/repos/${full}/issues/${i.number}`, commits_url: `${api}/commits`, review_comments_url: `${api}/comments`,
    review_comment_url: `${base}/repos/${full}/pulls/comments{/number}`, comments_url: `${base}/repos/${full}/issues/${i.number}/comments`,
    statuses_url: `${base}/repos/${full}/statuses/${headSha(s, repo.id)}`, number: i.number, state: i.state, locked: false,
    title: i.title, user: asIssue.user, body: i.body, labels: asIssue.labels, milestone: null, active_lock_reason: null,
    created_at: i.createdAt, updated_at: i.updatedAt, closed_at: i.closedAt, merged_at: pull.mergedAt, merge_commit_sha: null,
    assignee: asIssue.assignee, assignees: asIssue.assignees, requested_reviewers: [], requested_teams: [],
    head: ref(pull.head), base: ref(pull.base), author_association: asIssue.author_association, auto_merge: null, draft: pull.draft,
  };
}

export function headSha(s: GithubState, repoId: number): string {
  const commits = s.commits.filter((c) => c.repoId === repoId);
  return commits[commits.length - 1]?.sha ?? '0000000000000000000000000000000000000000';
}

export function commitJson(base: string, s: GithubState, c: Commit) {
  const repo = s.repos.get(c.repoId)!;
  const full = `${s.users.get(repo.ownerId)!.login}/${repo.name}`;
  const api = `${base}/repos/${full}`;
  const who = { name: c.authorName, email: c.authorEmail, date: c.date };
  return {
    sha: c.sha, node_id: nodeId('6:Commit', parseInt(c.sha.slice(0, 8), 16)),
    commit: { author: who, committer: who, message: c.message, tree: { sha: c.sha, url: `${api}/git/trees/${c.sha}` }, url: `${api}/git/commits/${c.sha}`, comment_count: 0, verification: { verified: false, reason: 'unsigned', signature: null, payload: null } },
    url: `${api}/commits/${c.sha}`, html_url: `${base}/${full}/commit/${c.sha}`, comments_url: `${api}/commits/${c.sha}/comments`,
    author: null, committer: null, parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${base}/${full}/commit/${p}` })),
  };
}

export function releaseJson(base: string, s: GithubState, r: Release) {
  const repo = s.repos.get(r.repoId)!;
  const full = `${s.users.get(repo.ownerId)!.login}/${repo.name}`;
  const api = `${base}/repos/${full}/releases/${r.id}`;
  return {
    url: api, assets_url: `${api}/assets`, upload_url: `${base}/repos/${full}/releases/${r.id}/assets{?name,label}`,
    html_url: `${base}/${full}/releases/tag/${r.tagName}`, id: r.id, author: userJson(base, s.users.get(r.authorId)!),
    node_id: nodeId('7:Release', r.id), tag_name: r.tagName, target_commitish: r.targetCommitish, name: r.name, draft: r.draft,
    prerelease: r.prerelease, created_at: r.createdAt, published_at: r.publishedAt, assets: [],
    tarball_url: `${base}/repos/${full}/tarball/${r.tagName}`, zipball_url: `${base}/repos/${full}/zipball/${r.tagName}`, body: r.body,
  };
}

export function runJson(base: string, s: GithubState, w: WorkflowRun) {
  const repo = s.repos.get(w.repoId)!;
  const full = `${s.users.get(repo.ownerId)!.login}/${repo.name}`;
  const api = `${base}/repos/${full}/actions/runs/${w.id}`;
  return {
    id: w.id, name: w.name, node_id: nodeId('11:WorkflowRun', w.id), head_branch: w.headBranch, head_sha: w.headSha,
    path: `.github/workflows/${w.name.toLowerCase()}.yml`, display_title: w.name, run_number: w.runNumber, event: w.event,
    status: w.status, conclusion: w.conclusion, workflow_id: 1, url: api, html_url: `${base}/${full}/actions/runs/${w.id}`,
    pull_requests: [], created_at: w.createdAt, updated_at: w.updatedAt, run_attempt: 1, run_started_at: w.createdAt,
    jobs_url: `${api}/jobs`, logs_url: `${api}/logs`, artifacts_url: `${api}/artifacts`, cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`, workflow_url: `${base}/repos/${full}/actions/workflows/1`, repository: { id: repo.id, name: repo.name, full_name: full },
  };
}
