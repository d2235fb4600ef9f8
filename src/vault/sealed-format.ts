import { VaultError } from './errors.ts';
import { KID } from './key-ring.ts';

/**
 * The sealed value: `v1.<kid>.<wrapped dek>.<iv>.<ciphertext+tag>`, each
 * binary part unpadded base64url. The wrapped DEK is itself
 * `wrap-iv (12) | encrypted DEK (32) | tag (16)`. Parsing is strict (one
 * canonical encoding per byte string) so a changed character can never
 * decode to the same bytes and slip past authentication.
 */
export const VERSION = 'v1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const WRAPPED_BYTES = IV_BYTES + 32 + TAG_BYTES;

export interface SealedParts {
  kid: string;
  wrapped: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function formatSealed(p: SealedParts): string {
  return [VERSION, p.kid, p.wrapped.toString('base64url'), p.iv.toString('base64url'), p.ciphertext.toString('base64url')].join('.');
}

export function parseSealed(sealed: string): SealedParts {
  if (typeof sealed !== 'string') throw malformed('it is not a string');
  const parts = sealed.split('.');
  if (parts.length !== 5) throw malformed(`expected 5 dot-separated parts, got ${parts.length}`);
  const [version, kid, wrapped, iv, ciphertext] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw malformed(`unsupported version "${version.slice(0, 8)}"`);
  if (!KID.test(kid)) throw malformed('the key id is not valid');
  const out = { kid, wrapped: decode(wrapped, 'wrapped key'), iv: decode(iv, 'iv'), ciphertext: decode(ciphertext, 'ciphertext') };
  if (out.wrapped.length !== WRAPPED_BYTES) throw malformed(`the wrapped key must be ${WRAPPED_BYTES} bytes`);
  if (out.iv.length !== IV_BYTES) throw malformed(`the iv must be ${IV_BYTES} bytes`);
  if (out.ciphertext.length < TAG_BYTES) throw malformed('the ciphertext is shorter than its tag');
  return out;
}

function decode(part: string, what: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (!B64URL.test(part) || bytes.toString('base64url') !== part) throw malformed(`the ${what} is not canonical base64url`);
  return bytes;
}

function malformed(why: string): VaultError {
  return new VaultError('malformed', `sealed value is malformed: ${why}`);
}
