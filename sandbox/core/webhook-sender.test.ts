import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver, type Receiver } from './test-receiver.ts';
import { WebhookSender, type Signer } from './webhook-sender.ts';

/** The shared sender against a real receiver: targeting, async signing, ack rules and cancellation. */
const plain: Signer = (sub, body) => ({ url: sub.url, headers: { 'content-type': 'application/json' }, body });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WebhookSender', () => {
  let hook: Receiver;
  before(async () => {
    hook = await startReceiver();
  });
  after(() => hook.close());

  const fresh = (retryDelaysMs: number[] = []) => {
    hook.received.length = 0;
    hook.statuses.length = 0;
    hook.status = 200;
    hook.respond = undefined;
    return new WebhookSender({ retryDelaysMs });
  };

  test('event names pick targets unless `only` picks them, whatever their events', async () => {
    const s = fresh();
    s.subscribe({ id: 'a', url: `${hook.origin}/a`, events: ['push'], secret: '' });
    s.subscribe({ id: 'b', url: `${hook.origin}/b`, events: [], secret: '' });
    await s.emit('issues', '{}', plain);
    assert.deepEqual(hook.received.map((r) => r.url), ['/b']);
    await s.emit('ping', '{}', plain, { only: (sub) => sub.id === 'a' });
    assert.deepEqual(hook.received.map((r) => r.url), ['/b', '/a']);
    assert.deepEqual(s.deliveries.map((d) => [d.subscriptionId, d.eventType]), [['b', 'issues'], ['a', 'ping']]);
  });

  test('an async signer is awaited and called again for each retry', async () => {
    const s = fresh([5, 5]);
    s.subscribe({ url: hook.url, events: [], secret: 'k' });
    hook.statuses.push(500, 500);
    const sign: Signer = async (sub, body, _type, attempt) => {
      await sleep(1);
      return { url: sub.url, headers: { authorization: `${sub.secret}-${attempt}` }, body };
    };
    await s.emit('x', 'hello', sign);
    await s.drain();
    assert.deepEqual(hook.received.map((r) => r.headers.authorization), ['k-0', 'k-1', 'k-2']);
    assert.deepEqual(s.deliveries.map((d) => d.status), [500, 500, 200]);
  });

  test('isAck decides from status, headers and body whether to retry', async () => {
    const s = fresh([5, 5, 5]);
    s.subscribe({ url: hook.url, events: [], secret: '' });
    let n = 0;
    hook.respond = () => (++n < 3 ? { status: 200, body: '<Ack>false</Ack>' } : { status: 200, body: '<Ack>true</Ack>' });
    await s.emit('Lead', '<x/>', plain, { isAck: (status, _h, body) => status === 200 && body.includes('<Ack>true</Ack>') });
    await s.drain();
    assert.equal(hook.received.length, 3);

    const t = fresh([5, 5, 5]);
    t.subscribe({ url: hook.url, events: [], secret: '' });
    t.isAck = (status, headers) => (status >= 200 && status < 300) || headers['x-slack-no-retry'] === '1';
    hook.respond = () => ({ status: 500, headers: { 'x-slack-no-retry': '1' } });
    await t.emit('message', '{}', plain);
    await t.drain();
    assert.equal(hook.received.length, 1, 'x-slack-no-retry stops the retries');
  });

  test('close() cancels scheduled retries: drain settles and nothing more is sent', async () => {
    const s = fresh([40, 40, 40]);
    s.subscribe({ url: hook.url, events: [], secret: '' });
    hook.status = 503;
    await s.emit('x', '{}', plain);
    s.close();
    await s.drain();
    await sleep(150);
    assert.equal(hook.received.length, 1);
    assert.equal(s.deliveries.length, 1);
    await s.emit('x', '{}', plain);
    assert.equal(hook.received.length, 1, 'a closed sender sends nothing');
  });

  test('reset() cancels retries too but the sender keeps working', async () => {
    const s = fresh([40, 40]);
    s.subscribe({ url: hook.url, events: [], secret: '' });
    hook.status = 500;
    await s.emit('x', '{}', plain);
    s.reset();
    await s.drain();
    await sleep(120);
    assert.equal(hook.received.length, 1);
    assert.equal(s.deliveries.length, 0);
    hook.status = 200;
    s.subscribe({ url: hook.url, events: [], secret: '' });
    await s.emit('x', '{}', plain);
    assert.equal(hook.received.length, 2);
  });
});
