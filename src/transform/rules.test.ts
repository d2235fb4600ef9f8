import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCondition } from './condition.ts';
import { compileConversion } from './conversions.ts';
import { StepError } from './errors.ts';
import { regexProblem } from './regex-guard.ts';
import { compileValidation } from './validation.ts';

test('conditions: eq, neq, in, exists, and, or, not', () => {
  const r = { status: 'Lost', score: 3, owner: null, tags: [{ t: 'vip' }, { t: 'new' }] };
  const yes = (c: Parameters<typeof compileCondition>[0]): boolean => compileCondition(c)(r);
  assert.equal(yes({ path: 'status', eq: 'Lost' }), true);
  assert.equal(yes({ path: 'score', eq: '3' }), false, 'comparison is strict');
  assert.equal(yes({ path: 'status', neq: 'Won' }), true);
  assert.equal(yes({ path: 'score', in: [1, 2, 3] }), true);
  assert.equal(yes({ path: 'owner', exists: true }), false);
  assert.equal(yes({ path: 'missing', exists: false }), true);
  assert.equal(yes({ path: 'missing', eq: null }), true, 'null matches an absent value');
  assert.equal(yes({ path: 'tags[*].t', eq: 'vip' }), true, 'wildcards hold when any element does');
  assert.equal(yes({ path: 'tags[*].t', neq: 'vip' }), false, 'and neq when none does');
  assert.equal(yes({ and: [{ path: 'status', eq: 'Lost' }, { not: { path: 'score', in: [0] } }] }), true);
  assert.equal(yes({ or: [{ path: 'status', eq: 'Won' }, { path: 'owner', exists: true }] }), false);
});

const convert = (type: Parameters<typeof compileConversion>[0], v: unknown, values?: (string | number)[]): unknown => compileConversion(type, values)!(v);
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof StepError ? e.code : 'not a StepError';
  }
};

test('type conversions coerce the obvious and report the rest', () => {
  assert.equal(convert('string', 42), '42');
  assert.equal(convert('number', ' 4.5 '), 4.5);
  assert.equal(convert('integer', '7'), 7);
  assert.equal(convert('boolean', 'Yes'), true);
  assert.equal(convert('boolean', 0), false);
  assert.equal(convert('date', '2024-03-05T10:00:00Z'), '2024-03-05');
  assert.equal(convert('datetime', 0), '1970-01-01T00:00:00.000Z');
  assert.equal(convert('email', 'a@b.co'), 'a@b.co');
  assert.equal(convert('phone', '+12125550100'), '+12125550100');
  assert.equal(convert('enum', 'b', ['a', 'b']), 'b');
  assert.deepEqual(convert('array', 'x'), ['x']);
  assert.deepEqual(convert('object', { a: 1 }), { a: 1 });
  for (const t of ['string', 'number', 'integer', 'boolean', 'date', 'datetime', 'email', 'phone', 'array', 'object'] as const) {
    assert.equal(convert(t, null), null, `${t} lets null through`);
    assert.equal(convert(t, undefined), undefined, `${t} lets undefined through`);
  }
  assert.equal(codeOf(() => convert('string', {})), 'invalid_type');
  assert.equal(codeOf(() => convert('number', 'abc')), 'invalid_number');
  assert.equal(codeOf(() => convert('number', '')), 'invalid_number');
  assert.equal(codeOf(() => convert('integer', 1.5)), 'not_integer');
  assert.equal(codeOf(() => convert('boolean', 'maybe')), 'invalid_boolean');
  assert.equal(codeOf(() => convert('date', 'soon')), 'invalid_date');
  assert.equal(codeOf(() => convert('email', 'nope')), 'invalid_email');
  assert.equal(codeOf(() => convert('phone', '212 555 0100')), 'invalid_phone');
  assert.equal(codeOf(() => convert('enum', 'c', ['a'])), 'not_in_enum');
  assert.equal(codeOf(() => convert('object', [1])), 'invalid_type');
});

test('validation rules: required first, then each rule on present values', () => {
  const check = compileValidation({ required: true, regex: '^[a-z]+$', minLength: 2, maxLength: 4, enum: ['ab', 'abc', 'abcde'] })!;
  assert.deepEqual(check(''), ['required', 'a value is required']);
  assert.equal(check(null)?.[0], 'required');
  assert.equal(check('ab'), undefined);
  assert.equal(check('AB')?.[0], 'pattern');
  assert.equal(check('a')?.[0], 'min_length');
  assert.equal(check('abcde')?.[0], 'max_length');
  assert.equal(check('abcd')?.[0], 'not_in_enum');
  const range = compileValidation({ min: 1, max: 10 })!;
  assert.equal(range(undefined), undefined, 'optional fields may be absent');
  assert.equal(range(0)?.[0], 'min');
  assert.equal(range(11)?.[0], 'max');
  assert.equal(range('5')?.[0], 'min', 'min/max need a number (use type: number)');
  assert.equal(compileValidation({ regex: 'x' })!('y'.repeat(10_001))?.[0], 'pattern', 'long inputs are not fed to a regex');
});

test('regex guard refuses catastrophic shapes and bad patterns, allows ordinary ones', () => {
  for (const ok of ['^[a-z]+$', '^\\d{3}-\\d{4}$', '^(ab)+$', '^(foo|bar)?$', '^[(+*)]+$', '^[A-Z]{2}\\d+$']) assert.equal(regexProblem(ok), undefined, ok);
  for (const bad of ['(a+)+$', '(a*)*b', '(a|a)*', '((ab)*)+', '(\\w+\\s?)*$', '(a)\\1', '[', 'x'.repeat(201)]) assert.equal(typeof regexProblem(bad), 'string', bad);
});
