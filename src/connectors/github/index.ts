import type { Connector } from '../types.ts';
import { commits } from './commits.ts';
import { issueSearch } from './issue-search.ts';
import { issues } from './issues.ts';
import { pullRequests } from './pull-requests.ts';
import { releases } from './releases.ts';
import { repositories } from './repositories.ts';
import { changesFromGithub } from './webhook.ts';
import { workflowRuns } from './workflow-runs.ts';

/**
 * GitHub REST. Paging follows Link headers 100 at a time; rate limits
 * (x-ratelimit-*, and a 403 or 429 with nothing remaining) are the client's
 * business through the catalog's headers and limited statuses.
 */
export const connector: Connector = {
  provider: 'github',
  models: {
    repositories,
    issues,
    pull_requests: pullRequests,
    commits,
    releases,
    workflow_runs: workflowRuns,
    issue_search: issueSearch,
  },
  fromWebhook: changesFromGithub,
};
