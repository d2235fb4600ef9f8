/**
 * The few primitives every verifier shares: digests, HMACs, a constant-time
 * compare, and the "any secret, any candidate" loop that makes secret
 * rotation work. Signatures are compared in their transmitted text form
 * (lower-case hex, padded base64) rather than decoded, because hex and base64
 * decoders are lenient: `A` and `a` decode to the same nibble, and stray
 * characters are skipped. Comparing text keeps a one-byte change a rejection.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { VerifyContext, VerifyResult } from './types.ts';
import { invalid } from './result.ts';

export type DigestAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type DigestEncoding = 'hex' | 'base64';
export type Bytes = string | Buffer;

export function hmac(algorithm: DigestAlgorithm, key: Bytes, parts: readonly Bytes[], encoding: DigestEncoding): string {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest(encoding);
}

export function digest(algorithm: DigestAlgorithm, parts: readonly Bytes[], encoding: DigestEncoding): string {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest(encoding);
}

/** Constant-time equality; a length mismatch is answered without comparing (lengths are not secret). */
export function safeEqual(a: Bytes, b: Bytes): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/**
 * True when one of the source's secrets signs to one of the received
 * candidates. Every pair is compared so the time spent does not depend on
 * which secret matched.
 */
export function anySecretMatches(secrets: readonly string[], candidates: readonly string[], sign: (secret: string) => string): boolean {
  let matched = false;
  for (const secret of secrets) {
    const expected = sign(secret);
    for (const candidate of candidates) matched = safeEqual(expected, candidate) || matched;
  }
  return matched;
}

/** The common tail of every HMAC verifier: no secrets is a configuration gap, otherwise any match wins. */
export function verifyAgainstSecrets(ctx: VerifyContext, candidates: readonly string[], sign: (secret: string) => string): VerifyResult {
  if (ctx.secrets.length === 0) return invalid('the source has no secret configured');
  if (candidates.length === 0) return invalid('no signature in the expected format');
  return anySecretMatches(ctx.secrets, candidates, sign) ? { ok: true } : invalid('no configured secret produced a matching signature');
}
