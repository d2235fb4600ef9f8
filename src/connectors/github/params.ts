import type { ConnectorContext } from '../types.ts';

/** `params.owner` and `params.repo`, checked so they cannot add path segments. */
export function repoPath(ctx: ConnectorContext): string {
  const { owner, repo } = ctx.params;
  if (typeof owner !== 'string' || typeof repo !== 'string') throw new Error('github: params.owner and params.repo are required');
  if (!/^[A-Za-z0-9-]{1,39}$/.test(owner)) throw new Error(`github: invalid owner ${JSON.stringify(owner)}`);
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(repo) || repo === '.' || repo === '..') throw new Error(`github: invalid repo ${JSON.stringify(repo)}`);
  return `/repos/${owner}/${repo}`;
}

/** Issue and pull request numbers, release and run ids: positive integers. */
export function numericId(id: string, what: string): string {
  if (!/^[1-9]\d{0,15}$/.test(id)) throw new Error(`github: invalid ${what} ${JSON.stringify(id)}`);
  return id;
}
