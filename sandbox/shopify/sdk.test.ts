import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { startShopify } from './index.ts';

/**
 * The vendor's own library as the receiver: @shopify/shopify-api's
 * `webhooks.validate` must accept every delivery the fake sends, with the
 * real IncomingMessage, and refuse one signed with another secret.
 */
const SECRET = 'shpss_sdk_conformance_secret';
const shopify = shopifyApi({ apiKey: 'sandbox-app', apiSecretKey: SECRET, hostName: '127.0.0.1', apiVersion: ApiVersion.October25, isEmbeddedApp: false, logger: { level: 0 } as never });
const results: Awaited<ReturnType<typeof shopify.webhooks.validate>>[] = [];
let server: Server;
let url = '';
const fake = await startShopify();

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      results.push(await shopify.webhooks.validate({ rawBody: Buffer.concat(chunks).toString('utf8'), rawRequest: req, rawResponse: res }));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks`;
});
after(async () => {
  await fake.close();
  await new Promise((r) => server.close(r));
});

const subscribe = (secret: string) => fetch(`${fake.url}/_sandbox/webhooks/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, events: ['orders/create'], secret }) });
const trigger = () => fetch(`${fake.url}/_sandbox/shopify/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'orders/create' }) });

test('@shopify/shopify-api validates the fake\'s deliveries, topic, shop and ids included', async () => {
  assert.equal((await subscribe(SECRET)).status, 201);
  assert.equal((await trigger()).status < 300, true);
  await fetch(`${fake.url}/_sandbox/webhooks/drain`, { method: 'POST' });
  assert.equal(results.length, 1);
  const r = results[0]!;
  assert.equal(r.valid, true, JSON.stringify(r));
  if (r.valid) {
    assert.equal(r.topic, 'ORDERS_CREATE');
    assert.match(r.domain, /\.myshopify\.com$/);
    assert.ok(r.webhookId.length > 0);
  }
});

test('a delivery signed with another secret is refused by the SDK', async () => {
  await fetch(`${fake.url}/_sandbox/reset`, { method: 'POST' });
  results.length = 0;
  await subscribe('shpss_some_other_secret');
  await trigger();
  await fetch(`${fake.url}/_sandbox/webhooks/drain`, { method: 'POST' });
  assert.equal(results.length, 1);
  assert.equal(results[0]!.valid, false);
});
