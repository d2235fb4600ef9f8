import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { CacheError, type Cache } from '../../src/cache/port.ts';
import { waitFor } from '../helpers/wait.ts';

/** The cache contract, run on every adapter. `make` gets a prefix unique to the run. */
export function cacheSuite(name: string, make: (prefix: string) => Promise<Cache>, cleanup: (prefix: string) => Promise<void>): void {
  describe(`cache: ${name}`, () => {
    const prefix = `sytest${randomBytes(5).toString('hex')}`;
    let cache: Cache;

    before(async () => { cache = await make(prefix); });
    after(async () => {
      await cache.close();
      await cleanup(prefix);
    });

    test('get/set/delete round-trip JSON values and return copies', async () => {
      const value = { name: 'Ada', tags: ['x'], n: 1.5, nested: { ok: true } };
      await cache.set('crud', 'ten_a', 'user:1', value);
      const got = await cache.get<typeof value>('crud', 'ten_a', 'user:1');
      assert.deepEqual(got, value);
      assert.notEqual(got, value);
      assert.equal(await cache.delete('crud', 'ten_a', 'user:1'), true);
      assert.equal(await cache.delete('crud', 'ten_a', 'user:1'), false);
      assert.equal(await cache.get('crud', 'ten_a', 'user:1'), undefined);
    });

    test('tenant isolation: B can neither read nor invalidate A\'s keys', async () => {
      await cache.set('iso', 'ten_a', 'doc:1', 'secret-a');
      await cache.set('iso', 'ten_b', 'doc:1', 'value-b');
      assert.equal(await cache.get('iso', 'ten_b', 'doc:1'), 'value-b');
      assert.equal(await cache.get('iso', 'ten_a', 'doc:1'), 'secret-a');
      for (const hostile of ['*', '*:ten_a:*', '../ten_a/*', '[a-z]*', '?oc:1', '\\*', '*ten_a*']) {
        await cache.invalidatePattern('iso', hostile, 'ten_b');
      }
      assert.equal(await cache.get('iso', 'ten_a', 'doc:1'), 'secret-a');
      assert.equal(await cache.get('iso', 'ten_b', 'doc:1'), undefined, 'B\'s own key went with "*"');
      // A tenant or namespace carrying separators or glob characters is refused outright.
      for (const bad of ['ten_a:x', '*', 'ten?', 'a b', '']) {
        await assert.rejects(cache.get('iso', bad, 'doc:1'), CacheError);
        await assert.rejects(cache.invalidatePattern('iso', '*', bad), CacheError);
      }
      await assert.rejects(cache.set('iso:x', 'ten_a', 'k', 1), CacheError);
    });

    test('property: no pattern invalidated by one tenant removes another tenant\'s key', async () => {
      let round = 0;
      await fc.assert(fc.asyncProperty(fc.string({ maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }), async (pattern, key) => {
        const ns = `prop${round++}`;
        await cache.set(ns, 'ten_a', key, 1);
        await cache.invalidatePattern(ns, pattern, 'ten_b');
        return (await cache.get(ns, 'ten_a', key)) === 1;
      }), { numRuns: 60 });
    });

    test('TTL: an entry expires; one without TTL stays', async () => {
      await cache.set('ttl', 'ten_a', 'short', 'x', 50);
      await cache.set('ttl', 'ten_a', 'forever', 'y');
      assert.equal(await cache.get('ttl', 'ten_a', 'short'), 'x');
      await waitFor(async () => (await cache.get('ttl', 'ten_a', 'short')) === undefined, 10_000, 20);
      assert.equal(await cache.get('ttl', 'ten_a', 'forever'), 'y');
    });

    test('stats count hits, misses and sets per namespace and tenant', async () => {
      await cache.set('st', 'ten_s1', 'a', 1);
      await cache.set('st', 'ten_s1', 'b', 2);
      await cache.get('st', 'ten_s1', 'a');
      await cache.get('st', 'ten_s1', 'a');
      await cache.get('st', 'ten_s1', 'zz');
      await cache.set('st2', 'ten_s1', 'a', 1);
      await cache.get('st', 'ten_s2', 'a');
      assert.deepEqual(await cache.stats('ten_s1'), [
        { namespace: 'st', tenant: 'ten_s1', hits: 2, misses: 1, sets: 2 },
        { namespace: 'st2', tenant: 'ten_s1', hits: 0, misses: 0, sets: 1 },
      ]);
      assert.deepEqual(await cache.stats('ten_s2'), [{ namespace: 'st', tenant: 'ten_s2', hits: 0, misses: 1, sets: 0 }]);
      const all = await cache.stats();
      assert.ok(all.some((s) => s.tenant === 'ten_s1' && s.namespace === 'st' && s.hits === 2));
      assert.ok(all.some((s) => s.tenant === 'ten_s2'));
    });

    test('pattern invalidation removes matching keys only, and counts them', async () => {
      for (const k of ['order:1', 'order:2', 'order:10', 'orders', 'user:1', 'ord*er']) await cache.set('inv', 'ten_a', k, k);
      assert.equal(await cache.invalidatePattern('inv', 'order:*', 'ten_a'), 3);
      assert.deepEqual(
        await Promise.all(['order:1', 'orders', 'user:1', 'ord*er'].map((k) => cache.get('inv', 'ten_a', k))),
        [undefined, 'orders', 'user:1', 'ord*er'],
      );
      assert.equal(await cache.invalidatePattern('inv', 'ord?er', 'ten_a'), 0, '? is literal');
      assert.equal(await cache.invalidatePattern('inv', '*', 'ten_a'), 3);
    });

    test('read-through: N concurrent loads of one key run the loader once; other keys load separately', async () => {
      let calls = 0;
      const loader = async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 30));
        return { loaded: calls };
      };
      const results = await Promise.all(Array.from({ length: 25 }, () => cache.readThrough('rt', 'ten_a', 'k', 60_000, loader)));
      assert.equal(calls, 1);
      assert.ok(results.every((r) => r.loaded === 1));
      assert.deepEqual(await cache.readThrough('rt', 'ten_a', 'k', 60_000, loader), { loaded: 1 }, 'later reads hit the cache');
      assert.equal(calls, 1);
      await cache.readThrough('rt', 'ten_b', 'k', 60_000, loader);
      assert.equal(calls, 2, 'another tenant is another key');
      await assert.rejects(cache.readThrough('rt', 'ten_a', 'boom', 60_000, async () => { throw new Error('down'); }), /down/);
      assert.equal(await cache.readThrough('rt', 'ten_a', 'boom', 60_000, async () => 'recovered'), 'recovered', 'a failed load is not cached');
    });
  });
}
