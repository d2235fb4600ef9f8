import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startReceiver, type Receiver } from '../core/test-receiver.ts';
import { startWordPress } from './index.ts';

type Fake = Awaited<ReturnType<typeof startWordPress>>;

/** The receiving side as a plugin user would write it: HMAC-SHA256 over the raw body, constant-time compare. */
function verify(secret: string, body: string, signature: string, encoding: 'base64' | 'hex'): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature, encoding);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('WordPress plugin-style webhooks and fault knobs', () => {
  let fake: Fake;
  let receiver: Receiver;
  let hookUrl = '';
  const secret = 'whsec-wordpress-test';
  let basic = '';

  before(async () => {
    receiver = await startReceiver();
    hookUrl = receiver.url;
    fake = await startWordPress({ seed: { generate: { posts: 3 } } });
    basic = `Basic ${Buffer.from(`admin:${fake.credentials.applicationPassword}`).toString('base64')}`;
    await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: hookUrl, secret }) });
  });
  after(async () => {
    await fake.ctx.webhooks.drain();
    await fake.close();
    await receiver.close();
  });


  test('REST create, update and trash each send a signed post_* webhook', async () => {
    receiver.received.length = 0;
    const created = await fetch(`${fake.url}/wp-json/wp/v2/posts`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Hooked', status: 'publish' }) }).then((r) => r.json()) as { id: number };
    await fetch(`${fake.url}/wp-json/wp/v2/posts/${created.id}`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Hooked 2' }) });
    await fetch(`${fake.url}/wp-json/wp/v2/posts/${created.id}`, { method: 'DELETE', headers: { authorization: basic } });
    await receiver.waitFor(3);
    assert.deepEqual(receiver.received.map((r) => String(r.headers['x-wp-webhook-trigger'])).sort(), ['post_create', 'post_trash', 'post_update']);
    for (const r of receiver.received) {
      assert.equal(verify(secret, r.body, String(r.headers['x-wp-webhook-signature']), 'base64'), true);
      assert.equal(verify('wrong-secret', r.body, String(r.headers['x-wp-webhook-signature']), 'base64'), false);
      const payload = JSON.parse(r.body) as { post_id: number; post: { ID: number; post_type: string } };
      assert.equal(payload.post_id, created.id);
      assert.equal(payload.post.post_type, 'post');
    }
    const update = receiver.received.find((r) => r.headers['x-wp-webhook-trigger'] === 'post_update')!;
    assert.equal((JSON.parse(update.body) as { post: { post_title: string } }).post.post_title, 'Hooked 2');
  });

  test('header name and encoding are knobs; wp-admin edits via the control route fire too', async () => {
    receiver.received.length = 0;
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhookSignatureHeader: 'X-Signature', webhookSignatureEncoding: 'hex' }) });
    const made = await fetch(`${fake.url}/_sandbox/wordpress/pages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'From wp-admin' }) }).then((r) => r.json()) as { id: number };
    await fetch(`${fake.url}/_sandbox/wordpress/pages/${made.id}`, { method: 'DELETE' });
    await receiver.waitFor(2);
    assert.deepEqual(receiver.received.map((r) => String(r.headers['x-wp-webhook-trigger'])).sort(), ['post_create', 'post_delete']);
    for (const r of receiver.received) {
      assert.match(String(r.headers['x-signature']), /^[0-9a-f]{64}$/);
      assert.equal(verify(secret, r.body, String(r.headers['x-signature']), 'hex'), true);
    }
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhookSignatureHeader: 'X-WP-Webhook-Signature', webhookSignatureEncoding: 'base64' }) });
  });

  const setFaults = (f: Record<string, number>) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
  const list = () => fetch(`${fake.url}/wp-json/wp/v2/posts`);

  test('errorRate answers the configured 5xx', async () => {
    await setFaults({ errorRate: 1, errorStatus: 502 });
    assert.equal((await list()).status, 502);
    await setFaults({});
    assert.equal((await list()).status, 200);
  });

  test('burst429 answers 429 with Retry-After (a host/plugin limit: core has none), then recovers', async () => {
    await setFaults({ burst429: 2 });
    const a = await list();
    assert.equal(a.status, 429);
    assert.equal(a.headers.get('retry-after'), '1');
    assert.deepEqual(await a.json(), { code: 'rest_too_many_requests', message: 'Too many requests.', data: { status: 429 } });
    assert.equal((await list()).status, 429);
    assert.equal((await list()).status, 200);
  });

  test('latencyMs holds the answer back while an unfaulted control call overtakes it', async () => {
    await setFaults({ latencyMs: 200 });
    const order: string[] = [];
    const slow = list().then((r) => { order.push('api'); return r.status; });
    await fetch(`${fake.url}/_sandbox/state`).then(() => order.push('control'));
    assert.equal(await slow, 200);
    await setFaults({});
    assert.deepEqual(order, ['control', 'api']);
  });

  test('dropRate drops the connection; malformedPages breaks one list page', async () => {
    await setFaults({ dropRate: 1 });
    await assert.rejects(list());
    await setFaults({ malformedPages: 1 });
    const broken = await list();
    assert.equal(broken.status, 200);
    await assert.rejects(broken.json());
    const fine = await list();
    assert.equal((await fine.json() as unknown[]).length, 3);
    await setFaults({});
  });
});
