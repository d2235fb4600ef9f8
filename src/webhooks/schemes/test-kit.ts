/**
 * Helpers for the scheme tests (not a test file itself): building requests
 * the way ingest hands them over, and the tamper property every verifier
 * must satisfy: flipping any single byte of the body or of the signature
 * header turns an accepted request into a rejected one.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { VerifyContext, VerifyResult, WebhookRequest, WebhookScheme } from './types.ts';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const NOW_SEC = Math.floor(NOW / 1000);
export const URL = 'https://hub.example.com/api/v1/webhooks/test/src_1';

export function request(input: { body: string | Buffer; headers?: Record<string, string>; method?: string; url?: string }): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  return { rawBody: Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body), headers, method: input.method ?? 'POST', url: input.url ?? URL };
}

export function context(secrets: readonly string[], options: Record<string, unknown> = {}, now = NOW): VerifyContext {
  return { secrets, options, now };
}

export function withHeader(req: WebhookRequest, name: string, value: string): WebhookRequest {
  return { ...req, headers: { ...req.headers, [name.toLowerCase()]: value } };
}

export function withBody(req: WebhookRequest, body: Buffer): WebhookRequest {
  return { ...req, rawBody: body };
}

export function flip(bytes: Buffer, position: number, xor: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[position] = (copy[position] ?? 0) ^ xor;
  return copy;
}

export async function expectOk(scheme: WebhookScheme, req: WebhookRequest, ctx: VerifyContext): Promise<void> {
  const result = await scheme.verify(req, ctx);
  assert.deepEqual(result, { ok: true });
}

export async function expectFailure(scheme: WebhookScheme, req: WebhookRequest, ctx: VerifyContext, code: Exclude<VerifyResult, { ok: true }>['code']): Promise<string> {
  const result = await scheme.verify(req, ctx);
  assert.equal(result.ok, false, 'expected a rejection');
  assert.equal(result.ok === false && result.code, code);
  return result.ok === false ? result.reason : '';
}

/** A reason must never carry a secret or the signature that was received or computed. */
export function assertReasonClean(reason: string, ...forbidden: string[]): void {
  for (const word of forbidden) assert.ok(!reason.includes(word), `reason leaks ${word.slice(0, 6)}…`);
}

const xorByte = fc.integer({ min: 1, max: 255 });

/**
 * Property: a single-byte change at any position of the body (when the
 * scheme authenticates the body) or of the named header is rejected.
 */
export async function assertTamperRejected(scheme: WebhookScheme, req: WebhookRequest, ctx: VerifyContext, targets: { body: boolean; headers: readonly string[] }): Promise<void> {
  await expectOk(scheme, req, ctx);
  if (targets.body && req.rawBody.length > 0) {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: req.rawBody.length - 1 }), xorByte, async (position, xor) => {
        const result = await scheme.verify(withBody(req, flip(req.rawBody, position, xor)), ctx);
        assert.equal(result.ok, false);
      }),
      { numRuns: 200 },
    );
  }
  for (const name of targets.headers) {
    const value = Buffer.from(req.headers[name.toLowerCase()] ?? '', 'latin1');
    assert.ok(value.length > 0, `header ${name} is present`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: value.length - 1 }), xorByte, async (position, xor) => {
        const result = await scheme.verify(withHeader(req, name, flip(value, position, xor).toString('latin1')), ctx);
        assert.equal(result.ok, false);
      }),
      { numRuns: 200 },
    );
  }
}
