import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyOp, bucketParams } from './bucket-math.ts';

test('a bucket never lets more than the limit through in any window plus jitter', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 500 }), fc.integer({ min: 100, max: 20_000 }),
    fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 400 }),
    (points, durationMs, gaps) => {
      const p = bucketParams({ points, durationMs });
      const jitter = Math.max(50, Math.round(durationMs * 0.02));
      let tat: number | undefined;
      let now = 0;
      const granted: number[] = [];
      for (const gap of gaps) {
        now += gap;
        const r = applyOp(tat, now, p, { op: 'take', n: 1 });
        if (r.ok) {
          tat = r.tat;
          granted.push(now);
        }
      }
      for (let i = 0, j = 0; i < granted.length; i += 1) {
        while (granted[i]! - granted[j]! >= durationMs + jitter) j += 1;
        if (i - j + 1 > points) return false;
      }
      return true;
    },
  ));
});

test('a refused take says how long until it fits, and waiting that long is enough', () => {
  const p = bucketParams({ points: 100, durationMs: 10_000 });
  let tat: number | undefined;
  for (let i = 0; i < p.capacity; i += 1) tat = applyOp(tat, 0, p, { op: 'take', n: 1 }).tat;
  const refused = applyOp(tat, 0, p, { op: 'take', n: 1 });
  assert.equal(refused.ok, false);
  assert.ok(refused.waitMs > 0);
  assert.equal(applyOp(tat, refused.waitMs - 1, p, { op: 'take', n: 1 }).ok, false);
  assert.equal(applyOp(tat, refused.waitMs, p, { op: 'take', n: 1 }).ok, true);
});

test('cap drops to what the provider says remains; until holds every token to the reset', () => {
  const p = bucketParams({ points: 1000, durationMs: 60_000 });
  assert.equal(applyOp(undefined, 0, p, { op: 'peek' }).tokens, p.capacity);
  assert.equal(applyOp(undefined, 0, p, { op: 'cap', n: 3 }).tokens, 3);
  assert.equal(applyOp(undefined, 0, p, { op: 'cap', n: p.capacity + 10 }).tokens, p.capacity);
  const held = applyOp(undefined, 0, p, { op: 'until', at: 5_000 });
  assert.equal(applyOp(held.tat, 4_999, p, { op: 'take', n: 1 }).ok, false);
  assert.equal(applyOp(held.tat, 5_000, p, { op: 'take', n: 1 }).ok, true);
  assert.ok(applyOp(undefined, 0, p, { op: 'debt', n: p.capacity * 2 }).tokens < 0);
});
