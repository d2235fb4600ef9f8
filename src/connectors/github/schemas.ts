import type { JsonSchema } from '../types.ts';

/** JSON schemas of the normalised records (normalise.ts). */
const s = { type: 'string' };
const sn = { type: ['string', 'null'] };
const n = { type: 'integer' };
const b = { type: 'boolean' };
const strings = { type: 'array', items: s };
const t = { type: 'string', format: 'date-time' };
const tn = { type: ['string', 'null'], format: 'date-time' };

const obj = (properties: Record<string, unknown>): JsonSchema => ({ type: 'object', required: ['id'], properties, additionalProperties: false });

const issueProps = {
  id: s, number: n, githubId: n, title: s, body: sn, state: { enum: ['open', 'closed'] }, stateReason: sn, labels: strings, assignees: strings,
  author: sn, comments: n, locked: b, milestone: sn, htmlUrl: s, createdAt: t, updatedAt: t, closedAt: tn,
};

export const issueSchema = obj(issueProps);
export const searchSchema = obj({ ...issueProps, repository: s, isPullRequest: b });
export const pullSchema = obj({
  id: s, number: n, githubId: n, title: s, body: sn, state: { enum: ['open', 'closed'] }, draft: b, merged: b, mergedAt: tn, head: sn, base: sn,
  author: sn, labels: strings, htmlUrl: s, createdAt: t, updatedAt: t, closedAt: tn,
});
export const commitSchema = obj({
  id: s, sha: s, message: s, authorName: sn, authorEmail: sn, authoredAt: tn, committerName: sn, committedAt: tn, authorLogin: sn, parents: strings, htmlUrl: s,
});
export const releaseSchema = obj({
  id: s, tagName: s, name: sn, body: sn, draft: b, prerelease: b, targetCommitish: s, author: sn, htmlUrl: s, createdAt: t, publishedAt: tn,
});
export const runSchema = obj({
  id: s, name: s, runNumber: n, runAttempt: n, event: s, status: s, conclusion: sn, headBranch: sn, headSha: s, htmlUrl: s, createdAt: t, updatedAt: t,
});
export const repositorySchema = obj({
  id: s, name: s, fullName: s, owner: sn, private: b, description: sn, defaultBranch: s, htmlUrl: s, openIssuesCount: n, archived: b,
  visibility: sn, createdAt: t, updatedAt: t, pushedAt: tn,
});
