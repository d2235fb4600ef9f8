import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEvent } from './envelope.ts';
import { dedupe, DuplicateInFlightError, MemorySeenStore } from './dedupe.ts';

const ctx = { topic: 'a.b', redelivered: false };

test('dedupe runs a handler once per id, releases the claim on failure, rejects while another holds it', async () => {
  let now = 0;
  const store = new MemorySeenStore({ now: () => now });
  const calls: string[] = [];
  let fail = true;
  const h = dedupe(async (e) => { calls.push(e.id); if (fail) throw new Error('boom'); }, store, { claimTtlMs: 100, doneTtlMs: 1000 });
  const e = createEvent({ type: 't', tenant: 'a', data: 1 });
  await assert.rejects(Promise.resolve(h(e, ctx)), /boom/);
  fail = false;
  await h(e, ctx);
  await h(e, ctx);
  assert.deepEqual(calls, [e.id, e.id], 'failed run retried, then the duplicate skipped');
  now += 1001;
  await h(e, ctx);
  assert.equal(calls.length, 3, 'after doneTtl the id is forgotten');

  const other = createEvent({ type: 't', tenant: 'a', data: 2 });
  assert.equal(await store.claim(other.id, 100), 'claimed');
  await assert.rejects(Promise.resolve(h(other, ctx)), DuplicateInFlightError);
  now += 101;
  await h(other, ctx);
  assert.equal(calls.at(-1), other.id, 'an abandoned claim expires and the redelivery runs');
});

test('memory seen-store is bounded (LRU)', async () => {
  const store = new MemorySeenStore({ maxEntries: 3 });
  for (const id of ['a', 'b', 'c', 'd']) await store.complete(id, 1000);
  assert.equal(store.size, 3);
  assert.equal(await store.claim('a', 10), 'claimed', 'the oldest was evicted');
  assert.equal(await store.claim('d', 10), 'done');
});
