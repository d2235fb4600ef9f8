import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCsv, toCsv } from './csv.ts';
import { outboundRecords } from './outbound.ts';
import { soqlString } from './soql.ts';
import { nextWatermark, parseWatermark } from './watermark.ts';

const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', 'é', '#', '\\', "'") });

test('CSV: any cells survive toCsv then parseCsv', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 5 }).chain((w) => fc.tuple(fc.array(cell, { minLength: w, maxLength: w }), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 6 }))), ([header, rows]) => {
    assert.deepEqual(parseCsv(toCsv(header, rows)), [header, ...rows]);
  }));
});

test('SOQL string literals: the quote never closes early', () => {
  fc.assert(fc.property(fc.string(), (s) => {
    const lit = soqlString(s);
    // Strip escapes; what remains between the outer quotes has no bare quote.
    assert.equal(lit.slice(1, -1).replace(/\\./g, '').includes("'"), false);
    assert.equal(lit.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', r: '\r' })[c] ?? c), s);
  }));
});

const sfId = fc.stringMatching(/^[a-zA-Z0-9]{18}$/);
const typeName = fc.constantFrom('Lead', 'Account', 'Foo__c', 'Invoice__c');

test('outbound messages: every notification yields its sObject type and record id, in order', () => {
  fc.assert(fc.property(fc.array(fc.tuple(typeName, sfId, sfId), { minLength: 1, maxLength: 5 }), (notes) => {
    const xml = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D000000000001AAA</OrganizationId>${notes.map(([type, id, noteId]) => `<Notification><Id>${noteId}</Id><sObject xsi:type="sf:${type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${id}</sf:Id><sf:Name>x &amp; y</sf:Name></sObject></Notification>`).join('')}</notifications></soapenv:Body></soapenv:Envelope>`;
    assert.deepEqual(outboundRecords(xml), notes.map(([type, id]) => ({ type, id })));
  }));
});

test('watermark: a read from it skips exactly the records already read at its stamp', () => {
  const rec = fc.record({ id: sfId, modifiedAt: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_005 }) });
  fc.assert(fc.property(fc.uniqueArray(rec, { selector: (r) => r.id, minLength: 1, maxLength: 30 }), (records) => {
    const sorted = [...records].sort((a, b) => a.modifiedAt - b.modifiedAt);
    const mark = parseWatermark(nextWatermark(null, sorted))!;
    const newest = sorted.at(-1)!.modifiedAt;
    assert.equal(Date.parse(mark.time), newest);
    assert.deepEqual([...mark.seen].sort(), sorted.filter((r) => r.modifiedAt === newest).map((r) => r.id).sort());
  }));
});
