import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { call } from '../helpers/http.ts';
import { waitFor } from '../helpers/wait.ts';

const flaky = () => (globalThis as unknown as { flaky: { fail: boolean; calls: { id: string; type: string; attempt: number }[] } }).flaky;

describe('webhook ingest over HTTP', () => {
  let t: TestHub;
  let base: string;
  before(async () => {
    t = await startTestHub({
      env: {
        WORKER_POLL_MS: '20',
        RETRY_SCHEDULE_MS: '50,50',
        WEBHOOK_HANDLERS: JSON.stringify({ flaky: new URL('./fixtures/flaky-handler.ts', import.meta.url).pathname }),
        WEBHOOK_ROUTES: JSON.stringify([{ provider: 'github', type: 'issues.*', handlers: ['flaky'] }, { provider: '*', type: '*', handlers: ['log'] }]),
        WEBHOOK_MAX_BODY_BYTES: '4096',
      },
    });
    base = await t.hub.listen();
    (globalThis as unknown as { flaky: unknown }).flaky = { fail: false, calls: [] };
  });
  after(() => t.close());

  const api = (path: string, init: Parameters<typeof call>[1] = {}) => call(`${base}/api/v1${path}`, { key: t.adminKey, ...init });
  const received = async (eventId: string) => t.hub.db.db.selectFrom('outbox').select(['type', 'data']).where('dedup_key', '=', `webhook.received:${eventId}`).execute();
  const countRows = async (table: 'webhook_events' | 'jobs') => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.hub.db.db)).rows[0]!.n);

  async function githubSource(secrets = ['first-secret']) {
    const res = await api('/webhook-sources', { method: 'POST', json: { provider: 'github', name: 'repo hooks', secrets } });
    assert.equal(res.status, 201);
    return res.body as { id: string; url: string };
  }

  async function sendGithub(url: string, secret: string, delivery: string, payload: object, event = 'issues') {
    const body = JSON.stringify(payload);
    return call(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': await githubSign(secret, body) } });
  }

  test('sources: secrets are write-only, URL is shown, audit records the change', async () => {
    const created = await api('/webhook-sources', { method: 'POST', json: { provider: 'stripe', name: 'billing', secrets: ['whsec_very_secret_value'] } });
    assert.equal(created.status, 201);
    assert.equal(created.body.secretCount, 1);
    assert.equal(created.body.scheme, 'stripe');
    assert.equal(created.body.url, `${base}/api/v1/webhooks/stripe/${created.body.id}`);
    assert.ok(!created.text.includes('whsec_very_secret_value'));
    const got = await api(`/webhook-sources/${created.body.id}`);
    assert.ok(!got.text.includes('whsec_very_secret_value'));
    const patched = await api(`/webhook-sources/${created.body.id}`, { method: 'PATCH', json: { secrets: ['whsec_new', 'whsec_very_secret_value'] } });
    assert.equal(patched.body.secretCount, 2);
    const auditLog = await api('/audit-log?action=webhook_source.update');
    assert.equal(auditLog.body.items[0].target, created.body.id);
    assert.ok(!auditLog.text.includes('whsec_'), 'no secret in the audit trail');
    assert.ok(!t.logs.join('').includes('whsec_very_secret_value'), 'no secret in the logs');

    const bad = await api('/webhook-sources', { method: 'POST', json: { provider: 'myspace', name: 'x' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, 'body/provider');
    const badOption = await api('/webhook-sources', { method: 'POST', json: { provider: 'generic', name: 'g', secrets: ['k'], options: { header: 'x-signature', algorithm: 'md5' } } });
    assert.equal(badOption.status, 422);
    assert.match(badOption.body.errors[0].field, /^options\.algorithm/);
    assert.equal((await api(`/webhook-sources/${created.body.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(`/webhook-sources/${created.body.id}`)).status, 404);
  });

  test('a verified delivery is stored, processed once, and a duplicate answers 200 without a second row', async () => {
    const src = await githubSource();
    const before = { events: await countRows('webhook_events'), jobs: await countRows('jobs') };
    const first = await sendGithub(src.url, 'first-secret', 'delivery-1', { action: 'opened', issue: { number: 7 } });
    assert.equal(first.status, 200);
    assert.equal(first.body.duplicate, false);
    const again = await sendGithub(src.url, 'first-secret', 'delivery-1', { action: 'opened', issue: { number: 7 } });
    assert.deepEqual(again.body, { id: first.body.id, duplicate: true });
    assert.equal(await countRows('webhook_events'), before.events + 1);
    assert.equal(await countRows('jobs'), before.jobs + 1);

    await waitFor(async () => (await api(`/webhooks/events/${first.body.id}`)).body.status === 'completed');
    const detail = await api(`/webhooks/events/${first.body.id}`);
    assert.equal(detail.body.type, 'issues.opened');
    assert.equal(detail.body.dedupKey, 'delivery-1');
    assert.deepEqual(detail.body.payload, { action: 'opened', issue: { number: 7 } });
    assert.equal(detail.body.payloadEncoding, 'json');
    assert.equal(detail.body.headers['x-github-delivery'], 'delivery-1');
    assert.equal(detail.body.attemptLog.length, 1);
    assert.equal(flaky().calls.filter((c) => c.id === first.body.id).length, 1, 'routed to the custom handler once');
    const emitted = await received(first.body.id);
    assert.equal(emitted.length, 1, 'processing emitted webhook.received once');
    assert.deepEqual(JSON.parse(emitted[0]!.data), { eventId: first.body.id, sourceId: src.id, provider: 'github', type: 'issues.opened', receivedAt: detail.body.receivedAt });
  });

  test('rotation: any active secret verifies', async () => {
    const src = await githubSource(['new-secret', 'old-secret']);
    assert.equal((await sendGithub(src.url, 'old-secret', 'rot-1', { action: 'closed' })).status, 200);
    assert.equal((await sendGithub(src.url, 'new-secret', 'rot-2', { action: 'closed' })).status, 200);
    await api(`/webhook-sources/${src.id}`, { method: 'PATCH', json: { secrets: ['new-secret'] } });
    const retired = await sendGithub(src.url, 'old-secret', 'rot-3', { action: 'closed' });
    assert.equal(retired.status, 401, 'a retired secret stops working at once in this process');
  });

  test('bad input gets the documented status and leaves no row behind', async () => {
    const src = await githubSource();
    const rows = { events: await countRows('webhook_events'), jobs: await countRows('jobs') };
    const body = JSON.stringify({ action: 'opened' });
    const headers = { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'bad-1' };

    const wrong = await call(src.url, { method: 'POST', body, headers: { ...headers, 'x-hub-signature-256': await githubSign('wrong', body) } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'signature_invalid');
    assert.equal(wrong.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.ok(!/sha256|hmac|expected/i.test(wrong.body.detail), 'the reason is not echoed');
    assert.equal((await call(src.url, { method: 'POST', body, headers })).body.code, 'signature_invalid', 'missing signature');

    const tampered = await call(src.url, { method: 'POST', body: body.replace('opened', 'closed'), headers: { ...headers, 'x-hub-signature-256': await githubSign('first-secret', body) } });
    assert.equal(tampered.status, 401);

    const unknown = await call(`${base}/api/v1/webhooks/github/src_01jzzzzzzzzzzzzzzzzzzzzzzz`, { method: 'POST', body, headers });
    assert.equal(unknown.status, 404);
    const wrongProvider = await call(src.url.replace('/github/', '/stripe/'), { method: 'POST', body, headers });
    assert.equal(wrongProvider.status, 404);

    const form = await call(src.url, { method: 'POST', body: 'a=b', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
    assert.equal(form.body.code, 'unsupported_media_type');

    const big = JSON.stringify({ pad: 'x'.repeat(5000) });
    const tooLarge = await call(src.url, { method: 'POST', body: big, headers: { ...headers, 'x-hub-signature-256': await githubSign('first-secret', big) } });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.body.code, 'payload_too_large');

    const notJson = 'not json at all';
    const nj = await call(src.url, { method: 'POST', body: notJson, headers: { ...headers, 'x-hub-signature-256': await githubSign('first-secret', notJson) } });
    assert.equal(nj.status, 400);
    assert.equal(nj.body.code, 'invalid_json');

    await api(`/webhook-sources/${src.id}`, { method: 'PATCH', json: { status: 'disabled' } });
    const disabled = await call(src.url, { method: 'POST', body, headers: { ...headers, 'x-hub-signature-256': await githubSign('first-secret', body) } });
    assert.equal(disabled.status, 410);

    assert.deepEqual({ events: await countRows('webhook_events'), jobs: await countRows('jobs') }, rows, 'no partial rows');
  });

  test('stale timestamps are refused with timestamp_out_of_window', async () => {
    const src = (await api('/webhook-sources', { method: 'POST', json: { provider: 'slack', name: 'slack', secrets: ['slack-signing-secret'] } })).body;
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: { type: 'message' } });
    const signed = (ts: number) => `v0=${createHmac('sha256', 'slack-signing-secret').update(`v0:${ts}:${body}`).digest('hex')}`;
    const old = Math.floor(Date.now() / 1000) - 600;
    const stale = await call(src.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(old), 'x-slack-signature': signed(old) } });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.code, 'timestamp_out_of_window');
    const now = Math.floor(Date.now() / 1000);
    const fresh = await call(src.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now), 'x-slack-signature': signed(now) } });
    assert.equal(fresh.status, 200);
  });

  test('handshakes: Slack url_verification after verifying, Monday challenge echo; neither is stored', async () => {
    const before = await countRows('webhook_events');
    const slack = (await api('/webhook-sources', { method: 'POST', json: { provider: 'slack', name: 's', secrets: ['sss-secret'] } })).body;
    const body = JSON.stringify({ type: 'url_verification', challenge: 'chal-123', token: 'x' });
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', 'sss-secret').update(`v0:${ts}:${body}`).digest('hex')}`;
    const ok = await call(slack.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /chal-123/);
    const unsigned = await call(slack.url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(unsigned.status, 401, 'a url_verification without a valid signature is refused');

    const monday = (await api('/webhook-sources', { method: 'POST', json: { provider: 'monday', name: 'm', secrets: ['monday-signing-secret'] } })).body;
    const challenge = await call(monday.url, { method: 'POST', json: { challenge: 'abc-999' } });
    assert.equal(challenge.status, 200);
    assert.deepEqual(challenge.body, { challenge: 'abc-999' });
    assert.equal(await countRows('webhook_events'), before);
  });

  test('a failing handler retries, goes dead, and replay from the API brings it back', async () => {
    const src = await githubSource();
    flaky().fail = true;
    const sent = await sendGithub(src.url, 'first-secret', 'flaky-1', { action: 'edited' });
    const id = sent.body.id as string;
    await waitFor(async () => (await api(`/webhooks/events/${id}`)).body.status === 'dead');
    const dead = (await api(`/webhooks/events/${id}`)).body;
    assert.equal(dead.attempts, 3, 'one try and the two scheduled retries');
    assert.match(dead.lastError, /downstream refused/);
    assert.deepEqual(dead.attemptLog.map((a: { outcome: string }) => a.outcome), ['failed', 'failed', 'failed']);
    const listed = await api(`/webhooks/events?status=dead&sourceId=${src.id}`);
    assert.deepEqual(listed.body.items.map((e: { id: string }) => e.id), [id]);

    flaky().fail = false;
    const replay = await api('/webhooks/events/replay', { method: 'POST', json: { status: 'dead', sourceId: src.id } });
    assert.deepEqual(replay.body, { matched: 1, replayed: 1 });
    await waitFor(async () => (await api(`/webhooks/events/${id}`)).body.status === 'completed');
    assert.equal(flaky().calls.filter((c) => c.id === id).length, 4);
    assert.equal((await received(id)).length, 1, 'webhook.received stays once through retries and replay');

    const retry = await api(`/webhooks/events/${id}/retry`, { method: 'POST' });
    assert.equal(retry.status, 202);
    await waitFor(async () => flaky().calls.filter((c) => c.id === id).length === 5);
    const audited = await api('/audit-log?action=webhook_event.replay');
    assert.equal(audited.body.items[0].details.replayed, 1);
    const health = await api('/webhooks/health');
    assert.equal(health.status, 200);
    assert.equal(typeof health.body.byStatus.completed, 'number');
  });

  test('a per-source rate limit answers 429 with Retry-After', async () => {
    const src = (await api('/webhook-sources', { method: 'POST', json: { provider: 'github', name: 'limited', secrets: ['first-secret'], rateLimitPerSec: 2 } })).body;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await sendGithub(src.url, 'first-secret', `rl-${i}`, { action: 'opened' })).status);
    assert.deepEqual(statuses.slice(0, 2), [200, 200]);
    const limited = await sendGithub(src.url, 'first-secret', 'rl-x', { action: 'opened' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  });

  test('a database that is gone answers 503, never a 2xx', async () => {
    const src = await githubSource();
    await t.hub.db.close();
    const res = await sendGithub(src.url, 'first-secret', 'db-down', { action: 'opened' });
    assert.equal(res.status, 503);
    assert.equal(res.body.code, 'unavailable');
  });
});
