import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileMapping } from './compile.ts';
import { defineFunction } from './functions/types.ts';
import { z } from 'zod';

const pathsOf = (raw: unknown, options = {}): string[] => {
  const r = compileMapping(raw, options);
  assert.equal(r.ok, false, 'the spec should be refused');
  return r.ok ? [] : r.errors.map((e) => e.path);
};

test('reports every spec error at once, each with its path', () => {
  const paths = pathsOf({
    version: 0,
    name: 'x',
    extra: true,
    fields: [
      { source: 'a', target: 'b' },
      { source: 'a', target: 'c', transform: ['trim', { fn: 'lookup', args: { table: 'nope' } }, { fn: 'nope' }] },
      { target: 'd' },
      { source: 'a', target: 'e', type: 'enum' },
      { source: 'a', target: 'f', validate: { regex: '(a+)+', min: 5, max: 1 } },
      { when: { or: [{ path: 'a', eq: 1 }, { path: 'b' }] }, fields: [{ source: 'x', target: 'y', transform: [{ fn: 'split', args: {} }] }] },
      { source: 'a', target: 'g', when: { not: { and: [] } } },
    ],
  });
  assert.deepEqual(paths.sort(), [
    'extra',
    'fields[1].transform[1].args.table',
    'fields[1].transform[2].fn',
    'fields[2].source',
    'fields[3].values',
    'fields[4].validate.min',
    'fields[4].validate.regex',
    'fields[5].fields[0].transform[0].args.separator',
    'fields[5].when.or[1]',
    'fields[6].when.not.and',
    'version',
  ]);
});

test('top-level shape: fields or forward, not both; reverse is checked too', () => {
  assert.deepEqual(pathsOf({ version: 1, name: 'x' }), ['fields']);
  assert.deepEqual(pathsOf({ version: 1, name: 'x', fields: [{ source: 'a', target: 'b' }], forward: [{ source: 'a', target: 'b' }] }), ['fields']);
  assert.deepEqual(pathsOf({ version: 1, name: 'x', forward: [{ source: 'a', target: 'b' }], reverse: [{ source: 'b', target: 'a..b' }] }), ['reverse[0].target']);
  assert.deepEqual(pathsOf('not a spec'), ['']);
  assert.deepEqual(pathsOf([]), ['']);
});

test('nesting depth is capped, so a hostile spec cannot blow the stack', () => {
  let when: unknown = { path: 'a', exists: true };
  for (let i = 0; i < 50; i++) when = { not: when };
  assert.ok(pathsOf({ version: 1, name: 'x', fields: [{ source: 'a', target: 'b', when }] })[0]!.startsWith('fields[0].when.not.not'));
});

test('registered functions: usable, argument-checked, and never shadowing a built-in', () => {
  const shout = defineFunction({ summary: 'adds !', args: z.strictObject({ times: z.number().int().min(1) }), compile: ({ times }) => (v) => `${String(v)}${'!'.repeat(times)}` });
  const spec = { version: 1, name: 'x', fields: [{ source: 'a', target: 'b', transform: [{ fn: 'shout', args: { times: 2 } }] }] };
  const ok = compileMapping(spec, { functions: { shout } });
  assert.ok(ok.ok);
  assert.deepEqual(ok.ok && ok.mapper.forward({ a: 'hi' }), { ok: true, record: { b: 'hi!!' } });
  assert.deepEqual(pathsOf({ ...spec, fields: [{ source: 'a', target: 'b', transform: [{ fn: 'shout', args: { times: 0 } }] }] }, { functions: { shout } }), ['fields[0].transform[0].args.times']);
  assert.deepEqual(pathsOf(spec, { functions: { trim: shout } }), ['functions.trim', 'fields[0].transform[0].fn']);
  assert.deepEqual(pathsOf(spec), ['fields[0].transform[0].fn'], 'unregistered functions are unknown');
});

test('property: a corrupted lookup table is reported at exactly its path', () => {
  const field = (i: number) => ({ source: `s${i}`, target: `t${i}`, transform: ['trim', { fn: 'lookup', args: { table: { a: 'b' } } }] });
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), fc.integer({ min: 0, max: 1 }), fc.oneof(fc.integer(), fc.string(), fc.constant({})), (n, pick, stepAt, bad) => {
      const fields: unknown[] = Array.from({ length: n }, (_, i) => field(i));
      const at = pick % n;
      const broken = field(at);
      // Step 0 is `trim`, which takes no arguments; step 1 is the lookup.
      if (stepAt === 1) broken.transform[1] = { fn: 'lookup', args: { table: bad as never } };
      else broken.transform[0] = { fn: 'trim', args: { table: bad } } as never;
      fields[at] = broken;
      const r = compileMapping({ version: 1, name: 'p', fields });
      if (r.ok) return false;
      const want = stepAt === 1 ? `fields[${at}].transform[1].args.table` : `fields[${at}].transform[0].args.table`;
      return r.errors.length >= 1 && r.errors.every((e) => e.path === want);
    }),
  );
});
