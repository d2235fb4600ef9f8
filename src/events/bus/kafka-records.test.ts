import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { murmur2 } from '@platformatic/kafka';
import { createEvent } from './envelope.ts';
import { fromKafkaRecord, kafkaPartition, kafkaTopic, parseKafkaUrl, toKafkaRecord } from './kafka-records.ts';
import { BusError } from './port.ts';
import { busFromUrl } from './from-url.ts';

// Kafka's own UtilsTest.testMurmur2 vectors (signed 32-bit results of the Java client).
const JAVA_MURMUR2: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

test('partitioning matches the Java client: murmur2 vectors, positive-masked, modulo partitions', () => {
  for (const [key, signed] of JAVA_MURMUR2) {
    assert.equal(murmur2(Buffer.from(key)) | 0, signed, `murmur2(${key})`);
    for (const n of [1, 3, 6, 12, 100]) assert.equal(kafkaPartition(key, n), (signed & 0x7fffffff) % n);
  }
});

test('property: the same key always lands on the same partition, inside the range', () => {
  fc.assert(fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 500 }), (key, n) => {
    const p = kafkaPartition(key, n);
    return p === kafkaPartition(key, n) && p >= 0 && p < n && Number.isInteger(p);
  }));
});

test('partition keys spread over partitions', () => {
  const used = new Set(Array.from({ length: 200 }, (_, i) => kafkaPartition(`conn_${i}`, 6)));
  assert.equal(used.size, 6);
});

test('records use CloudEvents binary mode and round-trip the envelope', () => {
  const event = createEvent({ type: 'record.synced', tenant: 'ten_1', data: { id: 7, name: 'Zoë' }, subject: 'rec_1', traceparent: '00-abc-def-01' });
  const record = toKafkaRecord('switchyard.ten_1.record.synced', event, 'conn_9');
  assert.equal(record.key.toString(), 'conn_9');
  assert.deepEqual(JSON.parse(record.value.toString()), { id: 7, name: 'Zoë' }, 'the value is the data alone');
  const headers = Object.fromEntries([...record.headers].map(([k, v]) => [k.toString(), v.toString()]));
  assert.deepEqual(headers, {
    'content-type': 'application/json',
    ce_id: event.id, ce_type: 'record.synced', ce_source: '/switchyard', ce_specversion: '1.0',
    ce_time: event.time, ce_subject: 'rec_1', ce_tenant: 'ten_1', ce_traceparent: '00-abc-def-01',
  });
  const back = fromKafkaRecord(record);
  assert.deepEqual(back.event, event);
  assert.equal(back.key, 'conn_9');
  assert.equal(toKafkaRecord('a.b', event).key.toString(), event.id, 'no partition key: keyed by event id');
});

test('property: any JSON data survives the record round trip', () => {
  fc.assert(fc.property(fc.jsonValue(), fc.string({ minLength: 1, maxLength: 20 }), (data, tenant) => {
    const event = createEvent({ type: 't', tenant, data });
    return JSON.stringify(fromKafkaRecord(toKafkaRecord('a.b', event)).event.data) === JSON.stringify(JSON.parse(JSON.stringify(data)));
  }));
});

test('records without the required ce_ headers are refused', () => {
  assert.throws(() => fromKafkaRecord({ headers: new Map([['ce_id', 'x']]), value: Buffer.from('{}') }), /missing/);
});

test('topic mapping: port topics pass as they are; invalid or over-long names are refused', () => {
  assert.equal(kafkaTopic('switchyard.ten_1.webhook.received'), 'switchyard.ten_1.webhook.received');
  assert.throws(() => kafkaTopic('a.*'), /invalid topic/);
  assert.throws(() => kafkaTopic(`a.${'x'.repeat(250)}`), BusError);
});

test('config parsing: broker lists, default port, parameters and errors', () => {
  assert.deepEqual(parseKafkaUrl('kafka://k1:9093,k2,10.0.0.3:19092?clientId=hub&partitions=12&replicas=3'), {
    brokers: ['k1:9093', 'k2:9092', '10.0.0.3:19092'], clientId: 'hub', partitions: 12, replicas: 3,
  });
  assert.deepEqual(parseKafkaUrl('kafka://localhost'), { brokers: ['localhost:9092'], clientId: 'switchyard', partitions: 6, replicas: 1 });
  assert.throws(() => parseKafkaUrl('kafka://'), BusError);
  assert.throws(() => parseKafkaUrl('kafka://h:99999'), /invalid port/);
  assert.throws(() => parseKafkaUrl('kafka://h:1?partitions=0'), /positive integer/);
  assert.throws(() => parseKafkaUrl('kafka://bad host'), /invalid Kafka broker/);
});

test('busFromUrl builds a Kafka bus from kafka:// without connecting', async () => {
  const bus = await busFromUrl('kafka://127.0.0.1:1');
  assert.equal(bus.name, 'kafka');
  await bus.close();
});
