import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APIErrorCode, APIResponseError, Client, LogLevel, verifyWebhookSignature } from '@notionhq/client';
import { startReceiver, type Received as ReceivedRequest, type Receiver } from '../core/test-receiver.ts';
import { startNotion, SANDBOX_INTEGRATION_TOKEN } from './index.ts';
import { signatureOf } from './webhooks.ts';

/**
 * Webhooks (verification request, signed deliveries checked with the SDK's
 * verifyWebhookSignature and the published vector), the rate limit, faults
 * and OAuth.
 */
interface Received { raw: string; signature: string | undefined; body: any }

let fake: Awaited<ReturnType<typeof startNotion>>;
let receiver: Receiver;
let base = '';
const TOKEN = 'secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl';

before(async () => {
  receiver = await startReceiver();
  base = receiver.origin;
  fake = await startNotion({ seed: { generate: { pages: 20 } } });
});
after(async () => {
  await fake.ctx.webhooks.drain();
  await fake.close();
  await receiver.close();
});
beforeEach(async () => {
  await fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
});

const view = (r: ReceivedRequest): Received => ({ raw: r.body, signature: r.headers['x-notion-signature'] as string | undefined, body: JSON.parse(r.body) });

async function waitFor(pred: (r: Received) => boolean): Promise<Received> {
  const [hit] = await receiver.waitFor(1, (r) => pred(view(r)));
  return view(hit!);
}

const dataSourceId = () => [...fake.ctx.state.dataSources.keys()][0]!;

describe('notion webhooks', () => {
  test('the signer matches the published Notion vector', () => {
    assert.equal(signatureOf(TOKEN, `{"verification_token":"${TOKEN}"}`), 'sha256=461e8cbcba8a75c3edd866f0e71280f5a85cbf21eff040ebd10fe266df38a735');
  });

  test('verification request, then signed page events from the UI and the API', async () => {
    const sub = await (await fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `${base}/hook`, secret: TOKEN }),
    })).json() as { id: string };
    const verify = await (await fetch(`${fake.url}/_sandbox/webhooks/subscriptions/${sub.id}/verify`, { method: 'POST' })).json() as { status: number };
    assert.equal(verify.status, 200);
    const v = await waitFor((r) => 'verification_token' in r.body);
    assert.equal(v.body.verification_token, TOKEN);

    const ui = await (await fetch(`${fake.url}/_sandbox/pages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parent: { data_source_id: dataSourceId() }, properties: { Name: { title: [{ text: { content: 'From the UI' } }] } } }),
    })).json() as { id: string };
    const created = await waitFor((r) => r.body.type === 'page.created' && r.body.entity?.id === ui.id);
    assert.equal(await verifyWebhookSignature({ body: created.raw, signature: created.signature, verificationToken: TOKEN }), true);
    assert.equal(await verifyWebhookSignature({ body: created.raw, signature: created.signature, verificationToken: 'secret_other' }), false);
    assert.equal(created.body.subscription_id, sub.id);
    assert.equal(created.body.attempt_number, 1);
    assert.equal(created.body.authors[0].type, 'person');
    assert.equal(created.body.data.parent.type, 'database');

    const notion = new Client({ auth: SANDBOX_INTEGRATION_TOKEN, baseUrl: fake.url, logLevel: LogLevel.ERROR });
    await notion.pages.update({ page_id: ui.id, properties: { Subscribed: { checkbox: true } } });
    const changed = await waitFor((r) => r.body.type === 'page.properties_updated' && r.body.entity?.id === ui.id);
    assert.equal(await verifyWebhookSignature({ body: changed.raw, signature: changed.signature, verificationToken: TOKEN }), true);
    assert.equal(changed.body.authors[0].type, 'bot');
    assert.equal(changed.body.data.updated_properties.length, 1);

    await fetch(`${fake.url}/_sandbox/pages/${ui.id}`, { method: 'DELETE' });
    const deleted = await waitFor((r) => r.body.type === 'page.deleted' && r.body.entity?.id === ui.id);
    assert.equal(await verifyWebhookSignature({ body: deleted.raw, signature: deleted.signature, verificationToken: TOKEN }), true);
  });

  test('a burst over the rate limit gets 429 rate_limited with Retry-After, then recovers', async () => {
    Object.assign(fake.ctx.knobs, { rateLimit: 3, rateWindowMs: 1000 });
    try {
      const notion = new Client({ auth: SANDBOX_INTEGRATION_TOKEN, baseUrl: fake.url, retry: false, logLevel: LogLevel.ERROR });
      for (let i = 0; i < 3; i++) await notion.dataSources.retrieve({ data_source_id: dataSourceId() });
      await assert.rejects(notion.dataSources.retrieve({ data_source_id: dataSourceId() }), (err: unknown) =>
        APIResponseError.isAPIResponseError(err) && err.code === APIErrorCode.RateLimited && err.status === 429);
      const raw = await fetch(`${fake.url}/v1/data_sources/${dataSourceId()}`, { headers: { authorization: `Bearer ${SANDBOX_INTEGRATION_TOKEN}`, 'notion-version': '2025-09-03' } });
      assert.equal(raw.status, 429);
      assert.match(raw.headers.get('retry-after') ?? '', /^\d+$/);
      const body = await raw.json() as Record<string, unknown>;
      assert.deepEqual({ object: body.object, status: body.status, code: body.code }, { object: 'error', status: 429, code: 'rate_limited' });
      await new Promise((r) => setTimeout(r, 1100));
      const ds = await notion.dataSources.retrieve({ data_source_id: dataSourceId() });
      assert.equal(ds.id, dataSourceId());
    } finally {
      Object.assign(fake.ctx.knobs, { rateLimit: 30, rateWindowMs: 10_000 });
      fake.ctx.state.window = null;
    }
  });

  const setFaults = (f: Record<string, number>) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
  const get = () => fetch(`${fake.url}/v1/data_sources/${dataSourceId()}`, { headers: { authorization: `Bearer ${SANDBOX_INTEGRATION_TOKEN}`, 'notion-version': '2025-09-03' } });

  test('faults: 429 burst, 5xx rate, latency, dropped connection, malformed page', async () => {
    fake.ctx.state.window = null;
    await setFaults({ burst429: 1 });
    const limited = await get();
    assert.equal(limited.status, 429);
    assert.equal(((await limited.json()) as { code: string }).code, 'rate_limited');
    assert.equal((await get()).status, 200);
    await setFaults({ errorRate: 1, errorStatus: 503 });
    assert.equal((await get()).status, 503);
    await setFaults({ latencyMs: 120 });
    const t0 = Date.now();
    assert.equal((await get()).status, 200);
    assert.ok(Date.now() - t0 >= 100);
    await setFaults({ dropRate: 1 });
    await assert.rejects(get());
    await setFaults({ malformedPages: 1 });
    const q = () => fetch(`${fake.url}/v1/data_sources/${dataSourceId()}/query`, {
      method: 'POST', headers: { authorization: `Bearer ${SANDBOX_INTEGRATION_TOKEN}`, 'notion-version': '2025-09-03', 'content-type': 'application/json' }, body: '{"page_size":5}',
    });
    await assert.rejects((await q()).json());
    assert.equal(((await (await q()).json()) as { results: unknown[] }).results.length, 5);
  });

  test('OAuth token exchange with Basic client credentials', async () => {
    const { clientId, clientSecret } = fake.credentials;
    const redirect = 'http://127.0.0.1:1/cb';
    const auth = await fetch(`${fake.url}/v1/oauth/authorize?client_id=${clientId}&response_type=code&owner=user&redirect_uri=${encodeURIComponent(redirect)}&state=s1`, { redirect: 'manual' });
    assert.equal(auth.status, 302);
    const code = new URL(auth.headers.get('location')!).searchParams.get('code')!;
    const notion = new Client({ baseUrl: fake.url, logLevel: LogLevel.ERROR });
    const token = await notion.oauth.token({ client_id: clientId!, client_secret: clientSecret!, grant_type: 'authorization_code', code, redirect_uri: redirect });
    assert.equal(token.token_type, 'bearer');
    assert.equal(token.workspace_id, fake.ctx.state.workspaceId);
    const withToken = new Client({ auth: token.access_token, baseUrl: fake.url, logLevel: LogLevel.ERROR });
    const ds = await withToken.dataSources.retrieve({ data_source_id: dataSourceId() });
    assert.equal(ds.id, dataSourceId());
    const noBasic = await fetch(`${fake.url}/v1/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', code }) });
    assert.equal(noBasic.status, 401);
  });
});
