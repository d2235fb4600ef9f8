import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderClient, ProviderError, staticToken, type Health } from '../../src/http-client/index.ts';
import { hubspotProfile } from './profiles.ts';
import { freePort } from '../helpers/ports.ts';

/*
 * The circuit breaker against a dead provider (a closed port), then a live
 * one on the same port after the cool-down.
 */

async function serve(port: number): Promise<Server> {
  const s = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  return s;
}

const COOL_DOWN_MS = 300;

function deadClient(port: number, changes: Health[]) {
  let networkCalls = 0;
  const client = new ProviderClient({
    connectionId: 'conn_dead', tokens: staticToken('t'),
    profile: hubspotProfile(`http://127.0.0.1:${port}`, { rateLimits: [], retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: COOL_DOWN_MS } }),
    onCall: (e) => { if (e.error !== 'circuit_open') networkCalls += 1; },
    onHealthChange: (h) => changes.push(h),
  });
  return { client, calls: () => networkCalls };
}

const get = { method: 'GET', path: '/crm/v3/objects/contacts' };

test('the breaker opens after consecutive failures, fails fast, and half-opens after the cool-down', async () => {
  const port = await freePort();
  const changes: Health[] = [];
  const { client, calls } = deadClient(port, changes);
  assert.equal(client.health().breaker, 'closed');

  for (let i = 0; i < 3; i += 1) {
    await assert.rejects(client.request(get), (e: unknown) => e instanceof ProviderError && e.code === 'provider_network_error');
  }
  const open = client.health();
  assert.equal(open.breaker, 'open');
  assert.equal(open.lastFailure, 'network');
  assert.ok(open.probeAfter);

  // Open: no network call at all.
  await assert.rejects(client.request(get), (e: unknown) => e instanceof ProviderError && e.code === 'provider_unavailable');
  assert.equal(calls(), 3);

  // After the cool-down one probe goes through; the provider is back, so the circuit closes.
  const server = await serve(port);
  try {
    await new Promise((r) => setTimeout(r, COOL_DOWN_MS + 50));
    const res = await client.request(get);
    assert.equal(res.status, 200);
    assert.equal(calls(), 4);
    assert.deepEqual(changes.map((h) => h.breaker), ['open', 'half-open', 'closed']);
    assert.equal(client.health().breaker, 'closed');
  } finally {
    server.close();
  }
});

test('a failed probe after the cool-down opens the circuit again', async () => {
  const port = await freePort();
  const changes: Health[] = [];
  const { client, calls } = deadClient(port, changes);
  for (let i = 0; i < 3; i += 1) await assert.rejects(client.request(get));
  await new Promise((r) => setTimeout(r, COOL_DOWN_MS + 50));
  await assert.rejects(client.request(get), (e: unknown) => e instanceof ProviderError && e.code === 'provider_network_error');
  assert.equal(calls(), 4);
  assert.deepEqual(changes.map((h) => h.breaker), ['open', 'half-open', 'open']);
  await assert.rejects(client.request(get), (e: unknown) => e instanceof ProviderError && e.code === 'provider_unavailable');
  assert.equal(calls(), 4);
});

test('429 and 4xx answers do not count as failures', async () => {
  let n = 0;
  const server = createServer((_req, res) => { n += 1; res.writeHead(n % 2 ? 404 : 429).end(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const client = new ProviderClient({
      connectionId: 'conn_4xx', tokens: staticToken('t'),
      profile: hubspotProfile(`http://127.0.0.1:${port}`, { rateLimits: [], retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 } }),
    });
    for (let i = 0; i < 6; i += 1) await client.request(get);
    assert.equal(client.health().breaker, 'closed');
    assert.equal(n, 6);
  } finally {
    server.close();
  }
});
