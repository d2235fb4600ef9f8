import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { call } from '../helpers/http.ts';
import { waitFor } from '../helpers/wait.ts';
import { startReceiver, type Receiver } from '../../sandbox/core/test-receiver.ts';

/**
 * Domain events consumed from the bus by a tenant subscription: a webhook
 * arrives, the outbox relay publishes `provider.event`, the subscription's
 * consumer turns it into a delivery job, and the job forwards it signed with
 * Standard Webhooks — verified here by the `standardwebhooks` library.
 */
describe('event subscriptions with webhook delivery', () => {
  let t: TestHub;
  let base: string;
  let receiver: Receiver;
  before(async () => {
    t = await startTestHub({ env: { WORKER_POLL_MS: '20', RELAY_POLL_MS: '20', RETRY_SCHEDULE_MS: '30,30', SUBSCRIPTION_REFRESH_MS: '200', RATE_LIMIT_MAX: '1000000' } });
    base = await t.hub.listen();
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });

  const api = (path: string, init: Parameters<typeof call>[1] = {}) => call(`${base}/api/v1${path}`, { key: t.adminKey, ...init });

  async function github(secret: string, url: string, delivery: string, payload: object) {
    const body = JSON.stringify(payload);
    const res = await call(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': delivery, 'x-hub-signature-256': await githubSign(secret, body) } });
    assert.equal(res.status, 200);
    return res.body.id as string;
  }

  test('a matching event is delivered once, signed; a filter keeps others out; a failing receiver dead-letters and replays', async () => {
    const src = (await api('/webhook-sources', { method: 'POST', json: { provider: 'github', name: 'gh', secrets: ['gh-secret'] } })).body;
    const created = await api('/subscriptions', {
      method: 'POST',
      json: { name: 'opened issues to ops', eventTypes: 'provider.event', filter: { subject: 'github.issues.opened' }, action: { kind: 'webhook', url: `${receiver.origin}/hook` } },
    });
    assert.equal(created.status, 201, created.text);
    const { id: subId, secret } = created.body as { id: string; secret: string };
    assert.match(secret, /^whsec_/);
    assert.ok(!(await api(`/subscriptions/${subId}`)).text.includes(secret), 'the secret is shown once');
    await new Promise((r) => setTimeout(r, 300));

    const opened = await github('gh-secret', src.url, 'd-open', { action: 'opened', issue: { number: 1 } });
    await github('gh-secret', src.url, 'd-closed', { action: 'closed', issue: { number: 1 } });
    await waitFor(() => receiver.received.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, 1, 'the closed event did not match the filter');
    const got = receiver.received[0]!;
    const wh = new Webhook(secret);
    const h = (name: string) => String(got.headers[name]);
    const verified = wh.verify(got.body, { 'webhook-id': h('webhook-id'), 'webhook-timestamp': h('webhook-timestamp'), 'webhook-signature': h('webhook-signature') }) as { type: string; data: { eventId: string; payload: { action: string } }; tenant: string };
    assert.equal(verified.type, 'provider.event');
    assert.equal(verified.data.eventId, opened);
    assert.equal(verified.data.payload.action, 'opened');
    assert.equal(verified.tenant, t.tenantId);

    receiver.status = 500;
    const second = await github('gh-secret', src.url, 'd-open-2', { action: 'opened', issue: { number: 2 } });
    await waitFor(async () => (await api(`/subscriptions/${subId}/deliveries?status=dead`)).body.items.length === 1);
    const dead = (await api(`/subscriptions/${subId}/deliveries?status=dead`)).body.items[0];
    assert.equal(dead.attempts, 3);
    assert.match(dead.lastError, /receiver answered 500/);

    receiver.status = 200;
    const replay = await api(`/subscriptions/${subId}/replay`, { method: 'POST', json: {} });
    assert.deepEqual(replay.body, { matched: 1, replayed: 1 });
    await waitFor(() => receiver.received.filter((r) => (JSON.parse(r.body) as { data: { eventId: string } }).data.eventId === second).length === 4, 10_000);
    const deliveries = (await api(`/subscriptions/${subId}/deliveries`)).body.items;
    assert.equal(deliveries.length, 2, 'one delivery job per matching event, however often it was tried');
    assert.ok(deliveries.every((d: { status: string }) => d.status === 'completed'));
  });

  test('bad subscriptions get 422 naming the field', async () => {
    const badUrl = await api('/subscriptions', { method: 'POST', json: { name: 'x', eventTypes: 'provider.event', action: { kind: 'webhook', url: 'ftp://nope' } } });
    assert.equal(badUrl.status, 422);
    assert.equal(badUrl.body.errors[0].field, 'action.url');
    const badPattern = await api('/subscriptions', { method: 'POST', json: { name: 'x', eventTypes: 'a.>.b', action: { kind: 'webhook', url: 'http://127.0.0.1:1/x' } } });
    assert.equal(badPattern.status, 422);
    assert.equal(badPattern.body.errors[0].field, 'eventTypes');
    const badMapping = await api('/subscriptions', { method: 'POST', json: { name: 'x', eventTypes: 'request.created', action: { kind: 'connector', connectionId: 'conn_x', model: 'rows', mapping: { fields: 'nope' } } } });
    assert.equal(badMapping.status, 422);
    assert.match(badMapping.body.errors[0].field, /^action\.mapping/);
  });

  test('cache stats are per tenant', async () => {
    const res = await api('/cache/stats');
    assert.equal(res.status, 200);
    assert.equal(res.body.tenant, t.tenantId);
    assert.equal((await api('/cache/stats?tenant=ten_someone_else')).status, 404);
  });
});
