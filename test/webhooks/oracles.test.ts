import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { sign as githubSign } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Signature } from '@hubspot/api-client';
import { signWebhookPayload } from '@notionhq/client';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { call } from '../helpers/http.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];

/**
 * Each provider's own library signs; the hub, over HTTP, must accept exactly
 * what the library signs and refuse a one-byte change.
 */
describe('vendor signers against the hub over HTTP', () => {
  let t: TestHub;
  let base: string;
  before(async () => {
    t = await startTestHub({ env: { WORKER_POLL_MS: '50' } });
    base = await t.hub.listen();
  });
  after(() => t.close());

  const source = async (provider: string, secrets: string[], extra: Record<string, unknown> = {}) => {
    const res = await call(`${base}/api/v1/webhook-sources`, { method: 'POST', key: t.adminKey, json: { provider, name: provider, secrets, ...extra } });
    assert.equal(res.status, 201, res.text);
    return res.body as { id: string; url: string };
  };

  test('GitHub: every @octokit/webhooks-examples payload, signed by @octokit/webhooks-methods', async () => {
    const src = await source('github', ['octo-secret']);
    let sent = 0;
    for (const group of examples) {
      for (const [i, payload] of group.examples.entries()) {
        const body = JSON.stringify(payload);
        const res = await call(src.url, {
          method: 'POST', body,
          headers: { 'content-type': 'application/json', 'x-github-event': group.name, 'x-github-delivery': `${group.name}-${i}-${sent}`, 'x-hub-signature-256': await githubSign('octo-secret', body) },
        });
        assert.equal(res.status, 200, `${group.name} example ${i}: ${res.text}`);
        const action = (payload as { action?: string }).action;
        const stored = await call(`${base}/api/v1/webhooks/events/${res.body.id}`, { key: t.adminKey });
        assert.equal(stored.body.type, action ? `${group.name}.${action}` : group.name);
        sent += 1;
      }
    }
    assert.ok(sent > 300, `sent ${sent} examples`);
    const body = JSON.stringify(examples[0]!.examples[0]);
    const flipped = body.slice(0, 10) + (body[10] === 'a' ? 'b' : 'a') + body.slice(11);
    const bad = await call(src.url, { method: 'POST', body: flipped, headers: { 'content-type': 'application/json', 'x-github-event': 'x', 'x-github-delivery': 'bad', 'x-hub-signature-256': await githubSign('octo-secret', body) } });
    assert.equal(bad.status, 401);
  });

  test('Stripe: stripe.webhooks.generateTestHeaderString', async () => {
    const stripe = new Stripe('sk_test_unused');
    const src = await source('stripe', ['whsec_test_hub']);
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_test_hub' });
    const ok = await call(src.url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': header } });
    assert.equal(ok.status, 200);
    const stale = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_test_hub', timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const old = await call(src.url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': stale } });
    assert.equal(old.body.code, 'timestamp_out_of_window');
    const stored = await call(`${base}/api/v1/webhooks/events/${ok.body.id}`, { key: t.adminKey });
    assert.equal(stored.body.type, 'invoice.paid');
    assert.equal(stored.body.dedupKey, 'evt_1');
  });

  test('HubSpot v3: @hubspot/api-client Signature.getSignature over the hub\'s own URL', async () => {
    const src = await source('hubspot', ['hubspot-client-secret']);
    const body = JSON.stringify([{ eventId: 1, subscriptionId: 2, portalId: 3, occurredAt: Date.now(), subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 123 }]);
    const timestamp = String(Date.now());
    const signature = Signature.getSignature('POST', 'v3', { clientSecret: 'hubspot-client-secret', requestBody: body, url: src.url, timestamp: Number(timestamp) } as never);
    const ok = await call(src.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp } });
    assert.equal(ok.status, 200, ok.text);
    const v1 = Signature.getSignature('POST', 'v1', { clientSecret: 'hubspot-client-secret', requestBody: body } as never);
    const okV1 = await call(src.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hubspot-signature': v1, 'x-hubspot-signature-version': 'v1' } });
    assert.equal(okV1.status, 200);
    assert.equal(okV1.body.duplicate, true, 'same events, same dedup key');
  });

  test('Standard Webhooks: the standardwebhooks library', async () => {
    const secret = `whsec_${Buffer.from('standard-webhooks-secret-key-32b').toString('base64')}`;
    const src = await source('standard-webhooks', [secret]);
    const wh = new StandardWebhook(secret);
    const payload = JSON.stringify({ type: 'user.created', data: { id: 'u1' } });
    const id = 'msg_2a';
    const ts = new Date();
    const res = await call(src.url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)), 'webhook-signature': wh.sign(id, ts, payload) } });
    assert.equal(res.status, 200, res.text);
  });

  test('Notion: @notionhq/client signWebhookPayload, after the verification handshake stored the token', async () => {
    const src = await source('notion', []);
    const verification = await call(src.url, { method: 'POST', json: { verification_token: 'secret_notion_token_1' } });
    assert.equal(verification.status, 200);
    const listed = await call(`${base}/api/v1/webhooks/events?sourceId=${src.id}`, { key: t.adminKey });
    const stored = await call(`${base}/api/v1/webhooks/events/${listed.body.items[0].id}`, { key: t.adminKey });
    assert.equal(stored.body.payload.verification_token, 'secret_notion_token_1', 'the operator can read the token from the event');
    await call(`${base}/api/v1/webhook-sources/${src.id}`, { method: 'PATCH', key: t.adminKey, json: { secrets: ['secret_notion_token_1'] } });
    const body = JSON.stringify({ id: 'n-evt-1', type: 'page.created', entity: { id: 'p1', type: 'page' } });
    const signature = await signWebhookPayload({ body, verificationToken: 'secret_notion_token_1' } as never);
    const res = await call(src.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-notion-signature': signature as string } });
    assert.equal(res.status, 200, res.text);
  });
});
