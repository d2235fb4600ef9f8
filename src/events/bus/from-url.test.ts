import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busFromUrl, redactUrl } from './from-url.ts';
import { BusError } from './port.ts';

test('busFromUrl picks the adapter from the scheme and mode (real brokers on loopback)', async () => {
  for (const [url, name] of [
    ['memory://', 'memory'],
    ['redis://127.0.0.1:6379', 'redis-pubsub'],
    ['redis://127.0.0.1:6379/0?mode=pubsub', 'redis-pubsub'],
    ['redis://127.0.0.1:6379?mode=streams&prefix=sytest&claimIdleMs=500', 'redis-streams'],
    ['nats://127.0.0.1:4222', 'nats'],
    ['amqp://guest:guest@127.0.0.1:5672?exchange=sytest.fromurl', 'rabbitmq'],
  ] as const) {
    const bus = await busFromUrl(url);
    assert.equal(bus.name, name, url);
    if (name === 'rabbitmq') await (bus as import('./rabbitmq.ts').RabbitBus).deleteExchanges();
    await bus.close();
  }
});

test('anything else is a clear error that names the accepted forms and hides credentials', async () => {
  await assert.rejects(busFromUrl('http://user:pw@x'), (err: Error) => err instanceof BusError && /expected one of memory:\/\//.test(err.message) && !err.message.includes('pw'));
  await assert.rejects(busFromUrl('nonsense'), BusError);
  await assert.rejects(busFromUrl('redis://127.0.0.1:6379?mode=queue'), /mode=pubsub or mode=streams/);
  await assert.rejects(busFromUrl('redis://127.0.0.1:6379?mode=streams&claimIdleMs=-1'), /positive integer/);
  assert.equal(redactUrl('amqp://u:p@h:1/v'), 'amqp://***@h:1/v');
});

test('an unreachable broker fails at connect with its address', async () => {
  await assert.rejects(busFromUrl('redis://127.0.0.1:1'), /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  await assert.rejects(busFromUrl('nats://127.0.0.1:1'), /cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
  await assert.rejects(busFromUrl('amqp://guest:guest@127.0.0.1:1'), /cannot reach RabbitMQ at amqp:\/\/127\.0\.0\.1:1/);
});
