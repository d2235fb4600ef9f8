import type { WebhookChange, WebhookEventInput } from '../types.ts';

/**
 * GitHub deliveries to changes. The hub's type is `X-GitHub-Event` plus
 * `.action` (`issues.opened`, `push`). Every change carries the repository
 * as `{ owner, repo }`, the params the repository models need. An issue that
 * is deleted or transferred away is gone from this repository.
 */
type Json = Record<string, any>;

const GONE_ISSUE = new Set(['deleted', 'transferred']);

export function changesFromGithub(event: WebhookEventInput): WebhookChange[] {
  const body = (event.body ?? {}) as Json;
  const [name = '', action = ''] = event.type.split('.', 2);
  const owner = body.repository?.owner?.login;
  const repo = body.repository?.name;
  if (typeof owner !== 'string' || typeof repo !== 'string') return [];
  const params = { owner, repo };
  switch (name) {
    case 'issues':
      // A pull request's issue-side events belong to the pull request.
      if (!body.issue || body.issue.pull_request !== undefined) return [];
      return [{ model: 'issues', id: String(body.issue.number), params, ...(GONE_ISSUE.has(action) ? { deleted: true } : {}) }];
    case 'pull_request':
      return body.pull_request ? [{ model: 'pull_requests', id: String(body.pull_request.number), params }] : [];
    case 'release':
      return body.release ? [{ model: 'releases', id: String(body.release.id), params, ...(action === 'deleted' ? { deleted: true } : {}) }] : [];
    case 'push':
      // A branch deletion carries no commits; other pushes name each new commit.
      return ((body.commits ?? []) as Json[]).filter((c) => typeof c.id === 'string').map((c) => ({ model: 'commits', id: c.id as string, params }));
    default:
      return [];
  }
}
