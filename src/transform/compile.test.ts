import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMapping, type CompiledMapping } from './compile.ts';
import { preview } from './preview.ts';

const compile = (raw: unknown): CompiledMapping => {
  const r = compileMapping(raw);
  if (!r.ok) assert.fail(JSON.stringify(r.errors));
  return r.mapper;
};

const contacts = {
  version: 2,
  name: 'contacts',
  fields: [
    { source: 'email', target: 'email', transform: ['email_normalize'], validate: { required: true } },
    { source: 'age', target: 'age', type: 'integer', validate: { min: 0, max: 150 } },
    { target: 'label', transform: [{ fn: 'template', args: { template: '{{first}} <{{email}}>' } }] },
    { source: 'tier', target: 'tier', type: 'enum', values: ['gold', 'silver'], when: { path: 'kind', eq: 'customer' } },
    { when: { path: 'kind', eq: 'lead' }, fields: [{ source: 'score', target: 'lead.score', type: 'number' }, { target: 'lead.flag', transform: [{ fn: 'default', args: { value: true } }] }] },
  ],
};

test('maps a record, honouring when on fields and groups', () => {
  const m = compile(contacts);
  assert.deepEqual(m.forward({ email: ' A@B.io ', age: '42', first: 'Ann', kind: 'lead', score: '7.5', tier: 'bogus' }), {
    ok: true,
    record: { email: 'a@b.io', age: 42, label: 'Ann < A@B.io >', lead: { score: 7.5, flag: true } },
  });
  assert.deepEqual(m.forward({ email: 'a@b.io', kind: 'customer', tier: 'gold' }), { ok: true, record: { email: 'a@b.io', label: '<a@b.io>', tier: 'gold' } });
});

test('collects every field error, each naming its target field', () => {
  const m = compile(contacts);
  const r = m.forward({ email: 'nope', age: 200.5, kind: 'customer', tier: 'bronze' });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors.map((e) => [e.field, e.code]), [['email', 'invalid_email'], ['age', 'not_integer'], ['tier', 'not_in_enum']]);
  const missing = m.forward({});
  assert.deepEqual(!missing.ok && missing.errors.map((e) => [e.field, e.code]), [['email', 'required']]);
});

test('a record that is not an object is an error on every field, not a throw', () => {
  const m = compile(contacts);
  for (const input of [null, 7, 'x', [1, 2], undefined]) {
    const r = m.forward(input);
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && [...new Set(r.errors.map((e) => e.code))], ['invalid_record']);
    assert.deepEqual(!r.ok && r.errors.map((e) => e.field), ['email', 'age', 'label', 'tier', 'lead.score', 'lead.flag']);
  }
});

test('a throwing registered function becomes a field error', () => {
  const r = compileMapping(
    { version: 1, name: 'x', fields: [{ source: 'a', target: 'b', transform: ['boom'] }] },
    { functions: { boom: { summary: 'throws', args: { safeParse: () => ({ success: true, data: {} }) } as never, compile: () => () => { throw new TypeError('kaput'); } } } },
  );
  assert.ok(r.ok);
  assert.deepEqual(r.ok && r.mapper.forward({ a: 1 }), { ok: false, errors: [{ field: 'b', code: 'transform_failed', message: 'kaput' }] });
});

test('the output never aliases the input, and the input is left untouched', () => {
  const m = compile({ version: 1, name: 'x', fields: [{ source: 'addr', target: 'a', type: 'object' }, { source: 'zip', target: 'a.zip' }] });
  const input = { addr: { city: 'Oslo' }, zip: '0150' };
  const before = structuredClone(input);
  const r = m.forward(input);
  assert.deepEqual(r, { ok: true, record: { a: { city: 'Oslo', zip: '0150' } } });
  assert.deepEqual(input, before);
});

test('derives a reverse for renames and one-to-one lookups, and lists the gaps', () => {
  const m = compile({
    version: 1,
    name: 'x',
    fields: [
      { source: 'id', target: 'externalId' },
      { source: 'status', target: 'stage', transform: [{ fn: 'lookup', args: { table: { New: 'lead', Won: 'customer' }, default: 'other', reverseDefault: 'New' } }] },
      { source: 'kind', target: 'type', transform: [{ fn: 'lookup', args: { table: { a: 'x', b: 'x' } } }] },
      { source: 'email', target: 'email', transform: ['lower'] },
      { source: 'x', target: 'y', when: { path: 'x', exists: true } },
      { when: { path: 'a', exists: true }, fields: [{ source: 'a', target: 'b' }] },
      { target: 'const', transform: [{ fn: 'default', args: { value: 1 } }] },
    ],
  });
  assert.equal(m.reverseFrom, 'derived');
  assert.deepEqual(m.reverseGaps.map((g) => g.field), ['type', 'email', 'y', 'b', 'const']);
  assert.match(m.reverseGaps[0]!.reason, /one-to-one/);
  assert.deepEqual(m.reverse!({ externalId: 9, stage: 'customer' }), { ok: true, record: { id: 9, status: 'Won' } });
  assert.deepEqual(m.reverse!({ stage: 'other' }), { ok: true, record: { status: 'New' } }, 'the forward default has no inverse; reverseDefault applies');
});

test('a declared reverse replaces derivation; no invertible entry means no reverse', () => {
  const declared = compile({ version: 1, name: 'x', forward: [{ source: 'a', target: 'b', transform: ['upper'] }], reverse: [{ source: 'b', target: 'a', transform: ['lower'] }] });
  assert.equal(declared.reverseFrom, 'declared');
  assert.deepEqual(declared.reverse!({ b: 'HI' }), { ok: true, record: { a: 'hi' } });
  const none = compile({ version: 1, name: 'x', fields: [{ source: 'a', target: 'b', transform: ['upper'] }] });
  assert.equal(none.reverse, undefined);
  assert.equal(none.reverseFrom, 'none');
});

test('preview returns output and errors per record, in both directions', () => {
  const spec = { version: 1, name: 'x', fields: [{ source: 'n', target: 'm', type: 'number', validate: { required: true } }] };
  const r = preview(spec, [{ n: '1' }, { n: 'x' }, 'junk']);
  assert.deepEqual(r, {
    ok: true,
    direction: 'forward',
    reverseFrom: 'derived',
    results: [
      { index: 0, ok: true, record: { m: 1 } },
      { index: 1, ok: false, errors: [{ field: 'm', code: 'invalid_number', message: '"x" is not a number' }] },
      { index: 2, ok: false, errors: [{ field: 'm', code: 'invalid_record', message: 'the source record is not an object' }] },
    ],
  });
  assert.deepEqual(preview(spec, [{ m: 5 }], { direction: 'reverse' }), { ok: true, direction: 'reverse', reverseFrom: 'derived', results: [{ index: 0, ok: true, record: { n: 5 } }] });
  assert.deepEqual(preview({ version: 1, name: 'x', fields: [{ source: 'a', target: 'b', transform: ['trim'] }] }, [{}], { direction: 'reverse' }), {
    ok: false,
    errors: [{ path: 'reverse', message: 'the spec declares no reverse and none of its entries can be inverted' }],
  });
  assert.deepEqual(preview({ version: 1 }, []), { ok: false, errors: [{ path: 'name', message: 'Invalid input: expected string, received undefined' }, { path: 'fields', message: 'give `fields` or `forward` (the same thing), exactly one' }] });
});

test('scalar functions and types apply per element on a wildcard source', () => {
  const m = compile({ version: 1, name: 'x', fields: [{ source: 'people[*].email', target: 'emails', type: 'email', transform: ['email_normalize'] }, { source: 'people[*].age', target: 'ages', type: 'integer' }] });
  assert.deepEqual(m.forward({ people: [{ email: ' A@B.io', age: '3' }, { email: 'c@D.io', age: 4 }] }), { ok: true, record: { emails: ['a@b.io', 'c@d.io'], ages: [3, 4] } });
  const bad = m.forward({ people: [{ email: 'nope' }] });
  assert.deepEqual(!bad.ok && bad.errors.map((e) => [e.field, e.code]), [['emails', 'invalid_email']]);
});
