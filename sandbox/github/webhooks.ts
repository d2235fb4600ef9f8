import { createHmac, randomUUID } from 'node:crypto';
import type { FakeContext } from '../core/server.ts';
import type { OutgoingDelivery, Subscription } from '../core/webhook-sender.ts';
import type { GithubKnobs } from './knobs.ts';
import { issueJson, repoJson, userJson } from './representations.ts';
import type { Commit, GithubState, Issue, Repo, User } from './store.ts';

/**
 * Outgoing deliveries as GitHub sends them: the event name in
 * `X-GitHub-Event`, a GUID per delivery, HMAC signatures over the raw body
 * (sha256 and the legacy sha1) only when the hook has a secret, and the
 * Hookshot user agent. GitHub does not retry failed deliveries on its own.
 */
type Ctx = FakeContext<GithubState, GithubKnobs>;

export const HOOKSHOT_UA = 'GitHub-Hookshot/3b2e4f1';

export function signGithub(secret: string, body: string): { sha256: string; sha1: string } {
  return {
    sha256: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    sha1: `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
  };
}

function signer(ctx: Ctx, repoId: number | undefined) {
  return (sub: Subscription, json: string, eventType: string): OutgoingDelivery => {
    const form = ctx.state.hooks.get(sub.id)?.contentType === 'form';
    const body = form ? `payload=${encodeURIComponent(json)}` : json;
    const headers: Record<string, string> = {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      'user-agent': HOOKSHOT_UA,
      'x-github-event': eventType,
      'x-github-delivery': randomUUID(),
      'x-github-hook-id': sub.id,
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(repoId ?? 0),
    };
    if (sub.secret) {
      const sig = signGithub(sub.secret, body);
      headers['x-hub-signature'] = sig.sha1;
      headers['x-hub-signature-256'] = sig.sha256;
    }
    return { url: sub.url, headers, body };
  };
}

export async function emit(ctx: Ctx, event: string, payload: object, repoId?: number): Promise<void> {
  await ctx.webhooks.emit(event, JSON.stringify(payload), signer(ctx, repoId));
}

/** Sends to one hook only, whatever events it chose: the ping a new hook gets. */
export async function emitTo(ctx: Ctx, sub: Subscription, event: string, payload: object, repoId?: number): Promise<void> {
  await ctx.webhooks.emit(event, JSON.stringify(payload), signer(ctx, repoId), { only: (s) => s.id === sub.id });
}

export function issuesPayload(ctx: Ctx, action: string, issue: Issue, sender: User, changes?: Record<string, { from: unknown }>) {
  const base = ctx.baseUrl();
  const s = ctx.state;
  return {
    action,
    issue: issueJson(base, s, issue),
    ...(changes ? { changes } : {}),
    repository: { ...repoJson(base, s, s.repos.get(issue.repoId)!), custom_properties: {} },
    sender: userJson(base, sender),
  };
}

/** Push payloads carry a slightly different repository: epoch-second timestamps and an owner with name/email. */
export function pushPayload(ctx: Ctx, repo: Repo, ref: string, before: string, commits: Commit[], pusher: User) {
  const base = ctx.baseUrl();
  const s = ctx.state;
  const owner = s.users.get(repo.ownerId)!;
  const full = `${owner.login}/${repo.name}`;
  const repository = {
    ...repoJson(base, s, repo),
    owner: { name: owner.login, email: owner.email, ...userJson(base, owner) },
    created_at: Math.floor(Date.parse(repo.createdAt) / 1000),
    pushed_at: Math.floor(Date.parse(repo.pushedAt) / 1000),
    stargazers: 0, master_branch: repo.defaultBranch, custom_properties: {},
  };
  const commitOut = (c: Commit) => ({
    id: c.sha, tree_id: c.sha, distinct: true, message: c.message, timestamp: c.date,
    url: `${base}/${full}/commit/${c.sha}`,
    author: { name: c.authorName, email: c.authorEmail, username: pusher.login },
    committer: { name: c.authorName, email: c.authorEmail, username: pusher.login },
    added: c.added, removed: c.removed, modified: c.modified,
  });
  const after = commits[commits.length - 1]?.sha ?? before;
  return {
    ref, before, after, created: /^0+$/.test(before), deleted: false, forced: false, base_ref: null,
    compare: `${base}/${full}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: commits.map(commitOut), head_commit: commits.length > 0 ? commitOut(commits[commits.length - 1]!) : null,
    repository, pusher: { name: pusher.login, email: pusher.email }, sender: userJson(base, pusher),
  };
}

export function pingPayload(ctx: Ctx, hookId: string, repo: Repo, sender: User, events: string[], config: Record<string, string>) {
  const base = ctx.baseUrl();
  const s = ctx.state;
  const full = `${s.users.get(repo.ownerId)!.login}/${repo.name}`;
  const now = new Date().toISOString();
  const api = `${base}/repos/${full}/hooks/${hookId}`;
  return {
    zen: 'Keep it logically awesome.',
    hook_id: Number(hookId),
    hook: {
      type: 'Repository', id: Number(hookId), name: 'web', active: true, events, config,
      updated_at: now, created_at: now, url: api, test_url: `${api}/test`, ping_url: `${api}/pings`,
      deliveries_url: `${api}/deliveries`, last_response: { code: null, status: 'unused', message: null },
    },
    repository: repoJson(base, s, repo),
    sender: userJson(base, sender),
  };
}
