import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { createEvent, deserializeEvent, EnvelopeError, fromBinary, serializeEvent, toBinary } from './envelope.ts';

test('createEvent fills CloudEvents 1.0 attributes', () => {
  const e = createEvent({ type: 'sync.run.completed', tenant: 'ten_1', data: { n: 1 }, time: '2025-01-02T03:04:05Z' });
  assert.equal(e.specversion, '1.0');
  assert.equal(e.time, '2025-01-02T03:04:05.000Z');
  assert.match(e.id, /^evt_/);
  assert.equal(e.datacontenttype, 'application/json');
  assert.equal('subject' in e, false);
});

test('property: structured and binary modes round-trip any envelope', () => {
  fc.assert(fc.property(fc.jsonValue(), fc.string({ minLength: 1 }), fc.option(fc.string(), { nil: undefined }), (data, tenant, subject) => {
    const e = JSON.parse(JSON.stringify(createEvent({ type: 'x.y', tenant, data, ...(subject === undefined ? {} : { subject }) })));
    const b = toBinary(e);
    return isDeepStrictEqual(deserializeEvent(serializeEvent(e)), e) && isDeepStrictEqual(fromBinary(b.headers, b.body), e);
  }));
});

test('malformed envelopes are refused with the attribute at fault', () => {
  assert.throws(() => deserializeEvent('{'), EnvelopeError);
  assert.throws(() => deserializeEvent('[]'), /"id"/);
  const e = createEvent({ type: 't', tenant: 'a', data: null });
  assert.throws(() => deserializeEvent(JSON.stringify({ ...e, specversion: '0.3' })), /specversion/);
  assert.throws(() => deserializeEvent(JSON.stringify({ ...e, tenant: undefined })), /"tenant"/);
});
