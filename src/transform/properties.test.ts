import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileMapping } from './compile.ts';
import { compilePath } from './path.ts';
import { FIELD_TYPES } from './spec.ts';

/**
 * Properties of compiled mappings: derived reverses round-trip, every error
 * names a declared field, and no input makes a mapper throw.
 */

// Shapes a source or target path can take; {i} keeps every field's root distinct.
const SOURCE_SHAPES = ['s{i}', 'in{i}.deep.v', 'rows{i}[*].v', 'cv{i}[id=k].text', 'list{i}[1]'];
const TARGET_SHAPES = ['t{i}', 'out{i}.x', 'props.p{i}', 'arr{i}[0].y'];

const scalarValue = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const jsonish = fc.oneof(scalarValue, fc.jsonValue({ maxDepth: 2 }));

const roundTripCase = fc
  .array(
    fc.record({
      source: fc.nat(SOURCE_SHAPES.length - 1),
      target: fc.nat(TARGET_SHAPES.length - 1),
      lookup: fc.option(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 5, selector: ([k]) => k }), { nil: undefined }),
      present: fc.boolean(),
      seed: fc.oneof(jsonish, fc.array(scalarValue, { maxLength: 4 })),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((fields) =>
    fields.map((f, i) => {
      const source = SOURCE_SHAPES[f.source]!.replace('{i}', String(i));
      const target = TARGET_SHAPES[f.target]!.replace('{i}', String(i));
      // One-to-one tables only: values are made unique by suffixing the key's position.
      const table = f.lookup && Object.fromEntries(f.lookup.map(([k, v], j) => [k, `${v}#${j}`]));
      return { source, target, table, present: f.present, seed: f.seed };
    }),
  );

test('property: forward then derived reverse gives back every mapped source value', () => {
  fc.assert(
    fc.property(roundTripCase, fc.nat(), (fields, salt) => {
      const spec = {
        version: 1,
        name: 'rt',
        fields: fields.map((f) => ({ source: f.source, target: f.target, ...(f.table ? { transform: [{ fn: 'lookup', args: { table: f.table } }] } : {}) })),
      };
      const compiled = compileMapping(spec);
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
      assert.equal(compiled.mapper.reverseGaps.length, 0);
      const record: Record<string, unknown> = {};
      for (const [i, f] of fields.entries()) {
        if (!f.present) continue;
        const keys = Object.keys(f.table ?? {});
        let value: unknown = f.table ? keys[(salt + i) % keys.length] : f.seed;
        // A wildcard source reads an array; give it one.
        const seed: unknown = f.seed;
        if (f.source.includes('[*]')) value = Array.isArray(seed) ? (f.table ? seed.map((_: unknown, j: number) => keys[(salt + j) % keys.length]) : seed) : [value];
        assert.ok(compilePath(f.source).set(record, value));
      }
      const forward = compiled.mapper.forward(record);
      if (!forward.ok) throw new Error(JSON.stringify(forward.errors));
      const back = compiled.mapper.reverse!(forward.record);
      if (!back.ok) throw new Error(JSON.stringify(back.errors));
      for (const f of fields) {
        const get = compilePath(f.source).get;
        assert.deepEqual(get(back.record), get(record), `${f.source} → ${f.target} → ${f.source}`);
      }
    }),
    { numRuns: 300 },
  );
});

// Arbitrary (valid) specs built from the whole language: every type, most functions, conditions, groups, validation.
const SOURCES = ['a', 'b', 'c', 'd.e', 'items[*].v', 'cv[id=x].text', 'items[0]'];
const STEPS: unknown[] = [
  'trim', 'lower', 'upper', 'email_normalize', 'json_parse', 'phone_country',
  { fn: 'phone_normalize', args: { defaultCountry: 'US' } },
  { fn: 'number_parse', args: { locale: 'de-DE' } },
  { fn: 'date_format', args: { to: 'DD/MM/YYYY' } },
  { fn: 'split', args: { separator: ' ', index: 0 } },
  { fn: 'split', args: { separator: ',' } },
  { fn: 'join', args: { separator: '-' } },
  { fn: 'lookup', args: { table: { a: 'A', '1': 1 } } },
  { fn: 'default', args: { value: 'dflt' } },
  { fn: 'concat', args: { parts: [{ path: 'b' }, { value: 'z' }], separator: ' ' } },
  { fn: 'template', args: { template: '{{a}}-{{d.e}}-{{$}}' } },
  { fn: 'coalesce', args: { paths: ['c', 'b'] } },
  { fn: 'get', args: { path: 'e' } },
  { fn: 'replace', args: { find: 'a', with: '$1' } },
];
const condition = fc.letrec<{ c: unknown }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ path: fc.constantFrom(...SOURCES), eq: scalarValue }),
    fc.record({ path: fc.constantFrom(...SOURCES), in: fc.array(scalarValue, { minLength: 1, maxLength: 3 }) }),
    fc.record({ path: fc.constantFrom(...SOURCES), exists: fc.boolean() }),
    fc.record({ not: tie('c') }),
    fc.record({ and: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
  ),
})).c;
const validate = fc.record(
  { required: fc.boolean(), regex: fc.constantFrom('^[a-z]+$', '\\d', '^.{0,5}$'), min: fc.integer({ min: -5, max: 0 }), max: fc.integer({ min: 1, max: 100 }), minLength: fc.nat(3), maxLength: fc.integer({ min: 3, max: 20 }), enum: fc.array(scalarValue, { minLength: 1, maxLength: 3 }) },
  { requiredKeys: [] },
);
const fieldArb = (i: number) =>
  fc.record(
    { source: fc.constantFrom(...SOURCES), type: fc.constantFrom(...FIELD_TYPES), transform: fc.array(fc.constantFrom(...STEPS), { minLength: 1, maxLength: 4 }), when: condition, validate },
    { requiredKeys: ['source'] },
  ).map((f) => ({ ...f, target: `out.f${i}`, ...(f.type === 'enum' ? { values: ['A', 'x', 1] } : {}) }));
const specArb = fc
  .array(fc.boolean(), { minLength: 1, maxLength: 6 })
  .chain((grouped) => fc.tuple(...grouped.map((g, i) => (g ? fc.record({ when: condition, fields: fc.tuple(fieldArb(i)) }) : fieldArb(i)))))
  .map((fields) => ({ version: 1, name: 'arb', fields }));

const recordArb = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      a: jsonish, b: jsonish, c: jsonish,
      d: fc.oneof(jsonish, fc.record({ e: jsonish })),
      items: fc.oneof(jsonish, fc.array(fc.record({ v: jsonish }), { maxLength: 3 })),
      cv: fc.array(fc.record({ id: fc.constantFrom('x', 'y'), text: fc.oneof(jsonish, fc.constantFrom(' Ada@Example.com ', '(212) 555-0100', '1.234,5', '2024-03-05', 'a b,c', '{"e":1}')) }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
);

test('property: every error names a field declared in the spec, and the mapper never throws', () => {
  fc.assert(
    fc.property(specArb, recordArb, (spec, record) => {
      const compiled = compileMapping(spec);
      if (!compiled.ok) throw new Error(`generated spec refused: ${JSON.stringify(compiled.errors)}`);
      const declared = new Set(spec.fields.flatMap((f) => ('fields' in f ? f.fields.map((x) => x.target) : [f.target])));
      for (const mapper of [compiled.mapper.forward, compiled.mapper.reverse]) {
        if (!mapper) continue;
        const r = mapper(record);
        if (r.ok) continue;
        assert.ok(r.errors.length > 0);
        for (const e of r.errors) {
          assert.ok(mapper === compiled.mapper.reverse || declared.has(e.field), `error on undeclared field ${e.field}`);
          assert.equal(typeof e.code, 'string');
          assert.equal(typeof e.message, 'string');
        }
      }
    }),
    { numRuns: 400 },
  );
});

test('property: the mapper never throws on arbitrary JSON, whatever the input shape', () => {
  const compiled = compileMapping({
    version: 1,
    name: 'any',
    fields: STEPS.map((step, i) => ({ source: SOURCES[i % SOURCES.length]!, target: `x.f${i}`, transform: [step], type: FIELD_TYPES[i % FIELD_TYPES.length], ...(FIELD_TYPES[i % FIELD_TYPES.length] === 'enum' ? { values: ['A'] } : {}) })),
  });
  assert.ok(compiled.ok);
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), fc.anything(), recordArb), (input) => {
      const r = compiled.mapper.forward(input);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) for (const e of r.errors) assert.match(e.field, /^x\.f\d+$/);
    }),
    { numRuns: 1000 },
  );
});
