import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `sy_<prefix>_<secret>`. Only the prefix is stored in
 * clear (for lookup); the secret is stored as HMAC-SHA256 under a random
 * per-key salt. Keys carry 256 bits of entropy, so a slow KDF buys nothing
 * and would cost every request.
 */
export interface MintedKey {
  key: string;
  prefix: string;
  salt: string;
  hash: string;
}

const PREFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

function randomPrefix(length = 12): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += PREFIX_ALPHABET[b % PREFIX_ALPHABET.length];
  return out;
}

export function hashKeySecret(secret: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'base64url')).update(secret).digest('base64url');
}

export function mintApiKey(): MintedKey {
  const prefix = randomPrefix();
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64url');
  return { key: `sy_${prefix}_${secret}`, prefix, salt, hash: hashKeySecret(secret, salt) };
}

/** Splits a presented key; undefined when it is not shaped like one of ours. */
export function parseApiKey(presented: string): { prefix: string; secret: string } | undefined {
  const m = /^sy_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(presented);
  return m ? { prefix: m[1]!, secret: m[2]! } : undefined;
}

export function keyMatches(secret: string, salt: string, storedHash: string): boolean {
  const a = Buffer.from(hashKeySecret(secret, salt));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
