import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePath, parsePath } from './path.ts';

test('reads keys, indexes, wildcards and [key=value] selectors', () => {
  const r = { a: { b: { c: 1 } }, items: [{ email: 'x' }, { email: 'y' }, {}], cv: [{ id: 'email', text: 'e' }, { id: 7, text: 's' }] };
  assert.equal(compilePath('a.b.c').get(r), 1);
  assert.deepEqual(compilePath('a.b').get(r), { c: 1 });
  assert.equal(compilePath('items[1].email').get(r), 'y');
  assert.deepEqual(compilePath('items[*].email').get(r), ['x', 'y', undefined]);
  assert.equal(compilePath('cv[id=email].text').get(r), 'e');
  assert.equal(compilePath('cv[id=7].text').get(r), 's', 'selectors compare as text');
  assert.equal(compilePath('cv[id=none].text').get(r), undefined);
});

test('reading through the wrong shape gives undefined, never a throw or an inherited member', () => {
  for (const record of [null, 5, 'str', [], { a: 'text' }, { a: [1] }, { items: { 0: 'x' } }]) {
    assert.equal(compilePath('a.b.c').get(record), undefined);
    assert.equal(compilePath('items[0].x').get(record), undefined);
    assert.equal(compilePath('items[*].x').get(record), undefined);
  }
  assert.equal(compilePath('toString').get({}), undefined);
  assert.equal(compilePath('a.hasOwnProperty').get({ a: {} }), undefined);
});

test('writes create the containers a path needs', () => {
  const out: Record<string, unknown> = {};
  assert.ok(compilePath('a.b.c').set(out, 1));
  assert.ok(compilePath('a.b.d').set(out, 2));
  assert.ok(compilePath('list[2].x').set(out, 'z'));
  assert.ok(compilePath('tags[*].name').set(out, ['p', 'q']));
  assert.ok(compilePath('cv[id=email].text').set(out, 'e'));
  assert.ok(compilePath('cv[id=email].value').set(out, 'v'));
  assert.deepEqual(out, { a: { b: { c: 1, d: 2 } }, list: [null, null, { x: 'z' }], tags: [{ name: 'p' }, { name: 'q' }], cv: [{ id: 'email', text: 'e', value: 'v' }] });
});

test('a wildcard write needs an array value', () => {
  assert.equal(compilePath('tags[*].name').set({}, 'not an array'), false);
});

test('refuses prototype keys, empty segments and odd brackets', () => {
  for (const bad of ['', 'a..b', '__proto__.x', 'a.constructor', 'a.prototype', '[0].a', 'a[x]', 'a[__proto__=1]', 'a b', 'a[0', 'x'.repeat(301)]) {
    assert.equal(typeof parsePath(bad), 'string', `"${bad.slice(0, 20)}" should be refused`);
  }
  assert.deepEqual(parsePath('a[0][*].b[id=x y]'), [
    { kind: 'key', key: 'a' }, { kind: 'index', index: 0 }, { kind: 'wild' }, { kind: 'key', key: 'b' }, { kind: 'match', key: 'id', value: 'x y' },
  ]);
});
