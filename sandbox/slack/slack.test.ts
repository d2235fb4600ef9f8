import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { startSlack } from './index.ts';
import { slackSignature } from './signing.ts';
import { startReceiver, type Received } from '../core/test-receiver.ts';

/** Every request the Slack fake sends must pass bolt's verifySlackRequest. */
const SECRET = 'sandbox-signing-secret-for-tests';
const fake = await startSlack();
const receiver = await startReceiver();
after(async () => {
  await fake.close();
  await receiver.close();
});

const control = (path: string, body: unknown) => fetch(`${fake.url}/_sandbox/slack${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

const boltOptions = (d: Received, signingSecret = SECRET) => ({
  signingSecret,
  body: d.body,
  headers: {
    'x-slack-signature': String(d.headers['x-slack-signature']),
    'x-slack-request-timestamp': Number(d.headers['x-slack-request-timestamp']),
  },
});

describe('Slack sender', () => {
  test('the signer reproduces Slack\'s published vector', () => {
    const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    assert.equal(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body), 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  test('an event_callback envelope arrives signed and verifies with bolt', async () => {
    const sub = await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url, events: [], secret: SECRET }),
    });
    assert.equal(sub.status, 201);
    const res = await control('/events', { event: { type: 'app_mention', user: 'U123', text: '<@U0SANDBOXBOT> hi', channel: 'C1', ts: '1.000200' } });
    assert.equal(res.status, 202);
    const [d] = await receiver.waitFor(1);
    assert.ok(d);
    assert.doesNotThrow(() => verifySlackRequest(boltOptions(d)));
    assert.equal(isValidSlackRequest(boltOptions(d, 'another-secret')), false);
    const envelope = JSON.parse(d.body) as Record<string, unknown> & { event: Record<string, unknown>; authorizations: unknown[] };
    assert.equal(envelope.type, 'event_callback');
    assert.equal(envelope.team_id, 'T0SANDBOX1');
    assert.equal(envelope.api_app_id, 'A0SANDBOX1');
    assert.match(String(envelope.event_id), /^Ev[A-Z0-9]{10}$/);
    assert.equal(envelope.event.type, 'app_mention');
    assert.equal(typeof envelope.event_time, 'number');
    assert.equal(envelope.authorizations.length, 1);
    receiver.received.length = 0;
  });

  test('a slash command is form-encoded and verifies with bolt', async () => {
    await control('/commands', { command: '/deploy', text: 'prod now' });
    const [d] = await receiver.waitFor(1);
    assert.ok(d);
    assert.equal(d.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(isValidSlackRequest(boltOptions(d)), true);
    const form = new URLSearchParams(d.body);
    assert.deepEqual([form.get('command'), form.get('text')], ['/deploy', 'prod now']);
    receiver.received.length = 0;
  });

  test('a failed delivery is retried with x-slack-retry-num and reason, still verifiable', async () => {
    receiver.statuses.push(500);
    await control('/events', { event: { type: 'message', text: 'retry me', channel: 'C1', user: 'U1', ts: '2.0' } });
    const got = await receiver.waitFor(2);
    assert.equal(got[0]?.headers['x-slack-retry-num'], undefined);
    assert.equal(got[1]?.headers['x-slack-retry-num'], '1');
    assert.equal(got[1]?.headers['x-slack-retry-reason'], 'http_error');
    for (const d of got) assert.equal(isValidSlackRequest(boltOptions(d)), true);
    assert.equal(got[0]?.body, got[1]?.body, 'same envelope, same event_id');
    receiver.received.length = 0;
  });

  test('an answer with x-slack-no-retry: 1 stops the retries even on a 5xx', async () => {
    receiver.respond = () => ({ status: 503, headers: { 'x-slack-no-retry': '1' } });
    try {
      await control('/events', { event: { type: 'message', text: 'do not retry', channel: 'C1', user: 'U1', ts: '3.0' } });
      await fetch(`${fake.url}/_sandbox/webhooks/drain`, { method: 'POST' });
      assert.equal(receiver.received.length, 1);
    } finally {
      receiver.respond = undefined;
      receiver.received.length = 0;
    }
  });

  test('url_verification: verified only when the endpoint echoes the challenge', async () => {
    const echo = await startReceiver({
      path: '/slack',
      respond: (req) => {
        const sig = { signingSecret: fake.credentials.signingSecret ?? '', body: req.body,
          headers: { 'x-slack-signature': String(req.headers['x-slack-signature']), 'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']) } };
        if (!isValidSlackRequest(sig)) return { status: 401 };
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: (JSON.parse(req.body) as { challenge: string }).challenge }) };
      },
    });
    try {
      const ok = await (await control('/url_verification', { url: echo.url })).json() as { results: { verified: boolean }[] };
      assert.deepEqual(ok.results.map((r) => r.verified), [true]);
      assert.equal((JSON.parse(echo.received[0]?.body ?? '{}') as { type: string }).type, 'url_verification');
      const silent = await (await control('/url_verification', { url: receiver.url })).json() as { results: { verified: boolean; status: number }[] };
      assert.deepEqual(silent.results.map((r) => [r.status, r.verified]), [[200, false]]);
    } finally {
      await echo.close();
    }
  });
});
