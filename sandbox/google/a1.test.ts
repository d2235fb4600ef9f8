import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { colToIndex, formatA1, indexToCol, parseA1 } from './a1.ts';

test('column letters round-trip for every index', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 18_277 }), (i) => colToIndex(indexToCol(i)) === i));
  assert.equal(indexToCol(0), 'A');
  assert.equal(indexToCol(25), 'Z');
  assert.equal(indexToCol(26), 'AA');
  assert.equal(indexToCol(701), 'ZZ');
});

test('formatted ranges parse back to the same bounds', () => {
  const name = fc.oneof(fc.constantFrom('Sheet1', 'Data', 'My Sheet', "Bob's", 'A1'), fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}$/));
  fc.assert(fc.property(name, fc.nat(5000), fc.nat(300), fc.nat(50), fc.nat(20), (sheet, r, c, h, w) => {
    const parsed = parseA1(formatA1(sheet, r, c, r + h, c + w));
    assert.deepEqual(parsed, { sheet, startRow: r, startCol: c, endRow: r + h, endCol: c + w });
  }));
});

test('the shapes Sheets accepts', () => {
  assert.deepEqual(parseA1('Sheet1!A1:D10'), { sheet: 'Sheet1', startRow: 0, startCol: 0, endRow: 9, endCol: 3 });
  assert.deepEqual(parseA1('Sheet1', ['Sheet1']), { sheet: 'Sheet1' });
  assert.deepEqual(parseA1('Data'), { sheet: 'Data' });
  assert.deepEqual(parseA1('A:C'), { startCol: 0, endCol: 2 });
  assert.deepEqual(parseA1('2:5'), { startRow: 1, endRow: 4 });
  assert.deepEqual(parseA1('A5:C'), { startRow: 4, startCol: 0, endCol: 2 });
  assert.deepEqual(parseA1("'My Sheet'!B2"), { sheet: 'My Sheet', startRow: 1, startCol: 1, endRow: 1, endCol: 1 });
  assert.equal(parseA1('Sheet1!A1:B2:C3'), undefined);
  assert.equal(parseA1('!A1'), undefined);
});
