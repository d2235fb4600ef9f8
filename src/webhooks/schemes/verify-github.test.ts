import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from '@octokit/webhooks-methods';
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { getScheme } from './index.ts';
import { assertReasonClean, assertTamperRejected, context, expectFailure, expectOk, request } from './test-kit.ts';

// The package's entry is a JSON file, which ESM only imports with an attribute TypeScript cannot type here.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
const scheme = getScheme('github')!;
const SECRET = "It's a Secret to Everybody";

async function delivery(secret: string, body: string, event = 'issues') {
  return request({ body, headers: { 'X-Hub-Signature-256': await sign(secret, body), 'X-GitHub-Event': event, 'X-GitHub-Delivery': 'd-1', 'Content-Type': 'application/json' } });
}

describe('github scheme', () => {
  it('matches the vector from GitHub docs', async () => {
    const req = request({ body: 'Hello, World!', headers: { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' } });
    await expectOk(scheme, req, context([SECRET]));
  });

  it('accepts every example payload of @octokit/webhooks-examples signed by @octokit/webhooks-methods', async () => {
    let count = 0;
    for (const definition of examples) {
      for (const example of definition.examples) {
        const body = JSON.stringify(example);
        const req = await delivery(SECRET, body, definition.name);
        await expectOk(scheme, req, context([SECRET]));
        const action = (example as { action?: string }).action;
        assert.deepEqual(scheme.describe(req, JSON.parse(body)), { type: action ? `${definition.name}.${action}` : definition.name, deliveryId: 'd-1' });
        count += 1;
      }
    }
    assert.ok(count > 100, `ran ${count} examples`);
  });

  it('rejects a tampered body, a wrong secret, a missing header and the SHA-1 header alone', async () => {
    const body = '{"action":"opened"}';
    const req = await delivery(SECRET, body);
    await expectFailure(scheme, { ...req, rawBody: Buffer.from('{"action":"closed"}') }, context([SECRET]), 'signature_invalid');
    const reason = await expectFailure(scheme, req, context(['wrong']), 'signature_invalid');
    assertReasonClean(reason, SECRET, req.headers['x-hub-signature-256']!.slice(7));
    await expectFailure(scheme, request({ body }), context([SECRET]), 'signature_missing');
    await expectFailure(scheme, request({ body, headers: { 'x-hub-signature': 'sha1=00' } }), context([SECRET]), 'signature_missing');
    await expectFailure(scheme, req, context([]), 'signature_invalid');
  });

  it('accepts the second secret during rotation', async () => {
    const req = await delivery('new-secret', '{"zen":"Keep it logically awesome."}', 'ping');
    await expectOk(scheme, req, context(['old-secret', 'new-secret']));
    assert.deepEqual(scheme.describe(req, { zen: 'x' }), { type: 'ping', deliveryId: 'd-1' });
  });

  it('rejects any single-byte change to the body or the signature', async () => {
    const req = await delivery(SECRET, JSON.stringify(examples[0]!.examples[0]));
    await assertTamperRejected(scheme, req, context([SECRET]), { body: true, headers: ['x-hub-signature-256'] });
  });

  it('takes no options and names an unknown one', () => {
    assert.deepEqual(scheme.parseOptions({}), {});
    assert.throws(() => scheme.parseOptions({ secretz: 1 }), { name: 'SchemeOptionsError', field: 'secretz' });
  });
});
