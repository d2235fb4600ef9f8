import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepError } from '../errors.ts';
import { BUILTIN_FUNCTIONS } from './builtins.ts';
import { runStep } from './run-step.ts';

/**
 * One table for every built-in: normal inputs, edge inputs (absent values,
 * empties, odd shapes that are still fine) and bad inputs with the error code
 * they must raise, plus arguments the function must refuse at spec time.
 * The first test fails when a built-in is added without a row here.
 */
type Case = [args: Record<string, unknown>, input: unknown, expected: unknown, record?: unknown];
type Bad = [args: Record<string, unknown>, input: unknown, code: string, record?: unknown];
interface Row { normal: Case[]; edge: Case[]; bad: Bad[]; badArgs: Record<string, unknown>[] }

const rec = { first: 'Ada', last: 'Lovelace', empty: '', nick: null, nested: { x: 1 } };

const TABLE: Record<string, Row> = {
  trim: { normal: [[{}, '  a b  ', 'a b']], edge: [[{}, undefined, undefined], [{}, null, null], [{}, 42, '42'], [{}, '\t\n', '']], bad: [[{}, { a: 1 }, 'not_text'], [{}, ['a'], 'not_text']], badArgs: [{ x: 1 }] },
  lower: { normal: [[{}, 'ÀbC', 'àbc']], edge: [[{}, null, null], [{}, true, 'true']], bad: [[{}, {}, 'not_text']], badArgs: [{ locale: 'tr' }] },
  upper: { normal: [[{}, 'straße', 'STRASSE']], edge: [[{}, undefined, undefined], [{}, '', '']], bad: [[{}, [1], 'not_text']], badArgs: [{ y: 2 }] },
  replace: {
    normal: [[{ find: '-', with: '' }, '555-01-23', '5550123'], [{ find: 'a', with: 'b', all: false }, 'aaa', 'baa']],
    edge: [[{ find: '.', with: '$&$&' }, 'a.b', 'a$&$&b'], [{ find: '(', with: '' }, '((x', 'x'], [{ find: 'z', with: 'y' }, null, null]],
    bad: [[{ find: 'a', with: 'b' }, { a: 1 }, 'not_text']],
    badArgs: [{ find: '' }, { with: 'x' }, { find: 'a', with: 1 }],
  },
  split: {
    normal: [[{ separator: ' ' }, 'Ada King Lovelace', ['Ada', 'King', 'Lovelace']], [{ separator: ' ', index: 0 }, 'Ada Lovelace', 'Ada'], [{ separator: ' ', index: 1, rest: true }, 'Ada King Lovelace', 'King Lovelace']],
    edge: [[{ separator: ' ', index: 1 }, 'Cher', undefined], [{ separator: ',', index: -1 }, 'a, b ,c', 'c'], [{ separator: ' ' }, '  a   b ', ['a', 'b']], [{ separator: ',', skipEmpty: false, trim: false }, 'a,,b', ['a', '', 'b']], [{ separator: ' ', index: 5, rest: true }, 'a b', undefined], [{ separator: ' ' }, null, null]],
    bad: [[{ separator: ' ' }, { a: 1 }, 'not_text']],
    badArgs: [{ separator: '' }, { separator: ' ', rest: true }, { separator: ' ', index: 1.5 }],
  },
  join: {
    normal: [[{ separator: ', ' }, ['a', 'b'], 'a, b'], [{}, ['a', 1, true], 'a1true']],
    edge: [[{ separator: '-' }, ['a', null, '', 'b'], 'a-b'], [{}, [], ''], [{}, 'already text', 'already text'], [{}, undefined, undefined]],
    bad: [[{}, { a: 1 }, 'not_array'], [{}, [{ a: 1 }], 'not_text'], [{}, 5, 'not_array']],
    badArgs: [{ separator: 5 }],
  },
  email_normalize: {
    normal: [[{}, '  Ada@Example.COM ', 'ada@example.com'], [{ lowercaseLocal: false }, 'Ada.L@Example.COM', 'Ada.L@example.com']],
    edge: [[{}, 'mailto:a@b.io', 'a@b.io'], [{}, null, null], [{}, 'a+tag@sub.example.co.uk', 'a+tag@sub.example.co.uk']],
    bad: [[{}, 'not-an-email', 'invalid_email'], [{}, '@example.com', 'invalid_email'], [{}, 'a@b', 'invalid_email'], [{}, 'a b@c.de', 'invalid_email'], [{}, { e: 1 }, 'not_text']],
    badArgs: [{ lowercaseLocal: 'yes' }],
  },
  phone_normalize: {
    normal: [[{ defaultCountry: 'US' }, '(212) 555-0100', '+12125550100'], [{}, '+44 20 7946 0958', '+442079460958'], [{ defaultCountry: 'DE' }, '030 123456', '+4930123456']],
    edge: [[{ defaultCountry: 'US' }, '', ''], [{}, null, null], [{ defaultCountry: 'US' }, 2125550100, '+12125550100'], [{ defaultCountry: 'US' }, '+1 555 000 1234', '+15550001234']],
    bad: [[{}, '2125550100', 'invalid_phone'], [{ defaultCountry: 'US' }, 'call me', 'invalid_phone'], [{ defaultCountry: 'US', strict: true }, '+1 555 000 1234', 'invalid_phone'], [{ defaultCountry: 'US' }, '1'.repeat(80), 'invalid_phone'], [{}, { p: 1 }, 'not_text']],
    badArgs: [{ defaultCountry: 'usa' }, { defaultCountry: 'us' }, { strict: 1 }],
  },
  phone_country: {
    normal: [[{}, '+442079460958', 'GB'], [{}, '+12125550100', 'US']],
    edge: [[{}, '+15550001234', 'US'], [{}, null, null], [{}, '', '']],
    bad: [[{}, '2125550100', 'invalid_phone'], [{}, 'nope', 'invalid_phone'], [{}, [1], 'not_text']],
    badArgs: [{ defaultCountry: 'US' }],
  },
  number_parse: {
    normal: [[{}, '1,234.5', 1234.5], [{}, '-12,345,678.25', -12345678.25], [{ locale: 'de-DE' }, '1.234,5', 1234.5], [{ decimal: ',' }, '12,75', 12.75], [{ locale: 'fr-FR' }, '1\u202f234,5', 1234.5]],
    edge: [[{}, 42, 42], [{}, ' -3 ', -3], [{}, '', undefined], [{}, null, null], [{}, '1e3', 1000], [{ locale: 'en-US' }, '.5', 0.5]],
    bad: [[{}, 'abc', 'invalid_number'], [{ locale: 'de-DE' }, '1.5.3,2', 'invalid_number'], [{}, '12,34.5', 'invalid_number'], [{ decimal: ',' }, '1.5', 'invalid_number'], [{}, Infinity, 'invalid_number'], [{}, '1e999', 'invalid_number'], [{}, { n: 1 }, 'invalid_number']],
    badArgs: [{ locale: 'xx-not-a-locale-at-all-really' }, { decimal: ';' }, { decimal: ',', thousands: ',' }, { locale: 'de-DE', decimal: ',' }],
  },
  date_format: {
    normal: [[{ to: 'date' }, '2024-03-05T23:10:00Z', '2024-03-05'], [{ to: 'DD/MM/YYYY' }, '2024-03-05', '05/03/2024'], [{ from: 'DD.MM.YYYY', to: 'iso' }, '05.03.2024', '2024-03-05T00:00:00.000Z'], [{ to: 'epoch_ms' }, '1970-01-01T00:00:01Z', 1000]],
    edge: [[{ to: 'iso' }, 0, '1970-01-01T00:00:00.000Z'], [{ from: 'epoch_s', to: 'date' }, '86400', '1970-01-02'], [{ to: 'iso' }, '2024-03-05 10:00', '2024-03-05T10:00:00.000Z'], [{ to: 'iso' }, '2024-03-05T10:00:00+02:00', '2024-03-05T08:00:00.000Z'], [{ to: 'date' }, '', undefined], [{ to: 'date' }, null, null], [{ to: 'epoch_s' }, 1999, 1]],
    bad: [[{ to: 'date' }, 'yesterday', 'invalid_date'], [{ from: 'DD/MM/YYYY', to: 'date' }, '31/02/2024', 'invalid_date'], [{ to: 'date' }, '2024-13-45', 'invalid_date'], [{ to: 'date' }, 1e20, 'invalid_date'], [{ to: 'date' }, { d: 1 }, 'invalid_date']],
    badArgs: [{}, { to: 'no tokens' }, { to: 'date', from: 'weird' }],
  },
  lookup: {
    normal: [[{ table: { New: 'lead', Won: 'customer' } }, 'Won', 'customer'], [{ table: { '1': 'one' } }, 1, 'one']],
    edge: [[{ table: { a: 'A' }, default: 'other' }, 'zzz', 'other'], [{ table: { a: 'A' }, caseInsensitive: true }, 'A', 'A'], [{ table: { a: 'A' } }, null, null], [{ table: { a: null } }, 'a', null]],
    bad: [[{ table: { a: 'A' } }, 'b', 'lookup_miss'], [{ table: { a: 'A' } }, 'toString', 'lookup_miss'], [{ table: { a: 'A' } }, { a: 1 }, 'lookup_miss']],
    badArgs: [{ table: {} }, { table: 5 }, { table: { a: { nested: 1 } } }],
  },
  default: {
    normal: [[{ value: 'n/a' }, undefined, 'n/a'], [{ value: 'n/a' }, 'x', 'x']],
    edge: [[{ value: 0 }, '', 0], [{ value: 0, emptyString: false }, '', ''], [{ value: { a: [1] } }, null, { a: [1] }], [{ value: 'd' }, false, false]],
    bad: [],
    badArgs: [{}, { value: 1, extra: true }],
  },
  concat: {
    normal: [[{ parts: [{ path: 'last' }], separator: ' ' }, 'Ada', 'Ada Lovelace', rec], [{ parts: [{ value: '!' }] }, 'hi', 'hi!']],
    edge: [[{ parts: [{ path: 'empty' }, { path: 'nick' }, { path: 'last' }], separator: ' ' }, undefined, 'Lovelace', rec], [{ parts: [{ path: 'empty' }], separator: '|', skipEmpty: false }, 'a', 'a|', rec], [{ parts: [{ path: 'missing' }] }, undefined, '', rec]],
    bad: [[{ parts: [{ path: 'nested' }] }, 'a', 'not_text', rec]],
    badArgs: [{ parts: [] }, { parts: [{ path: 'a..b' }] }, { parts: [{ value: { o: 1 } }] }],
  },
  template: {
    normal: [[{ template: '{{first}} {{last}}' }, undefined, 'Ada Lovelace', rec], [{ template: 'Dear {{ first }}, re: {{$}}' }, 'your order', 'Dear Ada, re: your order', rec]],
    edge: [[{ template: '{{first}} {{missing}}' }, undefined, 'Ada', rec], [{ template: '{{first}} {{missing}}', trim: false }, undefined, 'Ada ', rec], [{ template: 'no slots, $5' }, 'x', 'no slots, $5', rec], [{ template: '{{n}}' }, undefined, '0', { n: 0 }]],
    bad: [[{ template: '{{nested}}' }, undefined, 'not_text', rec]],
    badArgs: [{ template: '{{first' }, { template: '{{__proto__}}' }, { template: '{{a b}}' }],
  },
  coalesce: {
    normal: [[{ paths: ['nick', 'first'] }, undefined, 'Ada', rec], [{ paths: ['first'] }, 'given', 'given', rec]],
    edge: [[{ paths: ['empty', 'nick'] }, '', undefined, rec], [{ paths: ['nested'] }, null, { x: 1 }, rec], [{ paths: ['first'] }, 0, 0, rec]],
    bad: [],
    badArgs: [{ paths: [] }, { paths: ['a[x]'] }],
  },
  get: {
    normal: [[{ path: 'personsAndTeams[0].id' }, { personsAndTeams: [{ id: 7 }] }, 7], [{ path: 'a.b' }, { a: { b: 'c' } }, 'c']],
    edge: [[{ path: 'a' }, 'not an object', undefined], [{ path: 'a[3]' }, { a: [1] }, undefined], [{ path: 'a' }, null, undefined]],
    bad: [],
    badArgs: [{ path: '' }, { path: 'a.constructor' }],
  },
  json_parse: {
    normal: [[{}, '{"a":[1,2]}', { a: [1, 2] }], [{}, '"x"', 'x']],
    edge: [[{}, '', undefined], [{}, { already: 1 }, { already: 1 }], [{}, null, null], [{}, 5, 5]],
    bad: [[{}, '{not json', 'invalid_json'], [{}, `"${'a'.repeat(1_000_001)}"`, 'invalid_json']],
    badArgs: [{ reviver: 'x' }],
  },
};

test('every built-in function has normal, edge and bad-input rows', () => {
  assert.deepEqual(Object.keys(TABLE).sort(), Object.keys(BUILTIN_FUNCTIONS).sort());
  for (const [name, row] of Object.entries(TABLE)) {
    assert.ok(row.normal.length > 0 && row.edge.length > 0 && row.badArgs.length > 0, name);
    // Functions that accept any value have no bad input by design; each says so by having an empty list.
    if (!['default', 'coalesce', 'get'].includes(name)) assert.ok(row.bad.length > 0, `${name} has bad-input rows`);
  }
});

for (const [name, row] of Object.entries(TABLE)) {
  test(`${name}: normal and edge inputs`, () => {
    for (const [args, input, expected, record] of [...row.normal, ...row.edge]) {
      assert.deepEqual(runStep(name, args, input, record), expected, `${name}(${JSON.stringify(args)}) on ${JSON.stringify(input)}`);
    }
  });
  test(`${name}: bad input raises a coded StepError`, () => {
    for (const [args, input, code, record] of row.bad) {
      assert.throws(() => runStep(name, args, input, record), (e: unknown) => e instanceof StepError && e.code === code, `${name} on ${String(input).slice(0, 40)} → ${code}`);
    }
  });
  test(`${name}: bad arguments are refused at spec time`, () => {
    for (const args of row.badArgs) assert.equal(BUILTIN_FUNCTIONS[name]!.args.safeParse(args).success, false, `${name} accepts ${JSON.stringify(args)}`);
  });
}

test('default hands out a copy, so one output cannot change the next', () => {
  const a = runStep('default', { value: { list: [1] } }, undefined) as { list: number[] };
  a.list.push(2);
  assert.deepEqual(runStep('default', { value: { list: [1] } }, undefined), { list: [1] });
});

test('date_format to date agrees with Date for instants across the whole calendar', async () => {
  const { isoDate } = await import('./date.ts');
  for (let ms = -62_135_596_800_000; ms < 253_402_300_799_000; ms += 86_400_000 * 37 + 3_600_001) {
    assert.equal(isoDate(ms), new Date(ms).toISOString().slice(0, 10), String(ms));
  }
  assert.equal(isoDate(-1), '1969-12-31');
  assert.equal(isoDate(951_782_400_000), '2000-02-29');
});
