import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { classifyGrantError } from './grant-error.ts';

/** Real token-endpoint answers (a loopback server) through oauth4webapi, then classified. */
const answers: Record<string, { status: number; body: unknown }> = {
  '/rfc-invalid-grant': { status: 400, body: { error: 'invalid_grant', error_description: 'expired' } },
  '/rfc-invalid-client': { status: 401, body: { error: 'invalid_client' } },
  '/hubspot-bad-refresh': { status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' } },
  '/server-error': { status: 503, body: { message: 'down' } },
  '/rate-limited': { status: 429, body: { error: 'slow_down' } },
};
const server = createServer((req, res) => {
  const a = answers[req.url ?? ''] ?? { status: 404, body: {} };
  res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => new Promise<void>((r) => server.close(() => r())));

async function kindAt(path: string): Promise<string> {
  const as = { issuer: base, token_endpoint: `${base}${path}` };
  const client = { client_id: 'c' };
  try {
    const res = await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretPost('s'), 'rt', { [oauth.allowInsecureRequests]: true });
    await oauth.processRefreshTokenResponse(as, client, res);
  } catch (err) {
    return (await classifyGrantError(err)).kind;
  }
  throw new Error('expected a failure');
}

test('dead grants, refusals and transient failures are told apart', async () => {
  assert.equal(await kindAt('/rfc-invalid-grant'), 'invalid_grant');
  assert.equal(await kindAt('/hubspot-bad-refresh'), 'invalid_grant');
  assert.equal(await kindAt('/rfc-invalid-client'), 'rejected');
  assert.equal(await kindAt('/server-error'), 'transient');
  assert.equal(await kindAt('/rate-limited'), 'transient');
  assert.equal((await classifyGrantError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).kind, 'transient');
  assert.equal((await classifyGrantError(new TypeError('fetch failed'))).kind, 'transient');
});
