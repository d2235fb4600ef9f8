import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { advance, alreadySeen, finalWatermark, parseWatermark } from './watermark.ts';
import { changesFromGithub } from './webhook.ts';

const item = fc.record({ id: fc.integer({ min: 1, max: 10_000 }).map(String), at: fc.integer({ min: 1_700_000_000, max: 1_700_000_004 }).map((s) => s * 1000) });

test('a read from the watermark returns every item changed after it and none it already returned', () => {
  fc.assert(fc.property(fc.uniqueArray(item, { selector: (i) => i.id, minLength: 1, maxLength: 40 }), fc.array(item, { maxLength: 10 }), (first, later) => {
    // First read: items in any order (pages newest first, but marks must not depend on it).
    let mark: string | null = null;
    for (const i of first) mark = advance(mark, i.id, i.at);
    const since = parseWatermark(finalWatermark(mark, null));
    const newest = Math.max(...first.map((i) => i.at));
    // Second read sees (as `since` is inclusive) everything at or after the stamp: old boundary items and later changes.
    const boundary = first.filter((i) => i.at === newest);
    const changed = later.map((i) => ({ id: `n${i.id}`, at: newest + i.at - 1_700_000_000_000 }));
    const returned = [...boundary, ...changed].filter((i) => !alreadySeen(since, i.id, i.at));
    assert.deepEqual(returned, changed);
  }));
});

test('webhook changes always carry the repository as params', () => {
  fc.assert(fc.property(fc.constantFrom('issues.opened', 'issues.closed', 'pull_request.opened', 'release.published', 'push'), fc.integer({ min: 1, max: 1e6 }), (type, n) => {
    const body = { repository: { name: 'r', owner: { login: 'o' } }, issue: { number: n }, pull_request: { number: n }, release: { id: n }, commits: [{ id: 'a'.repeat(40) }] };
    const changes = changesFromGithub({ provider: 'github', type, body: type.startsWith('issues') ? { ...body, pull_request: undefined } : body, headers: {} });
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0]!.params, { owner: 'o', repo: 'r' });
  }));
});
