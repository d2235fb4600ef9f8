import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { VaultError, unknownKid } from './errors.ts';

/** A master key (key-encryption key) and the id sealed values name it by. */
export interface MasterKey {
  kid: string;
  key: Buffer;
}

export const KEY_BYTES = 32;
/** Kids appear inside sealed values between dots, so the alphabet excludes `.` and `:`. */
export const KID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The master keys the vault may use. The first is the primary: every new
 * seal and every rewrap uses it. The others only open older values until
 * rotation has re-wrapped them. Key bytes never appear in inspect or JSON.
 */
export class KeyRing {
  readonly primaryKid: string;
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new VaultError('bad_key_ring', 'the key ring is empty; give at least one kid:base64key');
    const map = new Map<string, Buffer>();
    for (const { kid, key } of keys) {
      if (!KID.test(kid)) throw new VaultError('bad_key_ring', `key id "${kid.slice(0, 70)}" must be 1-64 characters of A-Z a-z 0-9 _ -`);
      if (key.length !== KEY_BYTES) throw new VaultError('bad_key_ring', `master key ${kid} must be ${KEY_BYTES} bytes, got ${key.length}`, { kid });
      if (map.has(kid)) throw new VaultError('bad_key_ring', `master key ${kid} appears twice in the key ring`, { kid });
      map.set(kid, Buffer.from(key));
    }
    this.primaryKid = keys[0]!.kid;
    this.#keys = map;
  }

  get kids(): string[] {
    return [...this.#keys.keys()];
  }

  has(kid: string): boolean {
    return this.#keys.has(kid);
  }

  /** The key for `kid`; a kid outside the ring is the one clear error operators need. */
  keyFor(kid: string): Buffer {
    const key = this.#keys.get(kid);
    if (!key) throw unknownKid(kid);
    return key;
  }

  /** A new ring with `key` as primary and the current keys behind it (the first step of rotation). */
  withPrimary(key: MasterKey): KeyRing {
    return new KeyRing([key, ...this.kids.map((kid) => ({ kid, key: this.keyFor(kid) }))]);
  }

  /** A new ring without `kid` (the last step of rotation, once nothing is sealed under it). */
  without(kid: string): KeyRing {
    return new KeyRing(this.kids.filter((k) => k !== kid).map((k) => ({ kid: k, key: this.keyFor(k) })));
  }

  toJSON(): { primaryKid: string; kids: string[] } {
    return { primaryKid: this.primaryKid, kids: this.kids };
  }

  [inspect.custom](): string {
    return `KeyRing { primary: ${this.primaryKid}, kids: [${this.kids.join(', ')}] }`;
  }
}

/**
 * Parses key ring text: entries `kid:base64key` separated by commas or
 * newlines, the first being primary. Blank lines and `#` comments are
 * allowed so the same text works as an env value and as a file. Keys are
 * standard or URL-safe base64 of exactly 32 bytes. Errors name the entry
 * and kid, never the key.
 */
export function parseKeyRing(text: string): KeyRing {
  const entries = text.split('\n').flatMap((line) => line.replace(/#.*$/, '').split(',')).map((e) => e.trim()).filter((e) => e !== '');
  const keys = entries.map((entry, i): MasterKey => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new VaultError('bad_key_ring', `key ring entry ${i + 1} must look like kid:base64key`);
    const kid = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!BASE64.test(encoded)) throw new VaultError('bad_key_ring', `master key ${kid} is not base64`, { kid });
    const key = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.toString('base64').replace(/=+$/, '') !== encoded.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')) {
      throw new VaultError('bad_key_ring', `master key ${kid} is not canonical base64`, { kid });
    }
    return { kid, key };
  });
  return new KeyRing(keys);
}

/** The text form `parseKeyRing` reads, primary first. */
export function formatKeyRing(keys: readonly MasterKey[]): string {
  return keys.map(({ kid, key }) => `${kid}:${key.toString('base64')}`).join(',');
}

/** A fresh random 256-bit master key; the default kid carries the date, so operators can tell keys apart. */
export function generateMasterKey(kid?: string): MasterKey {
  const id = kid ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  if (!KID.test(id)) throw new VaultError('bad_key_ring', `key id "${id.slice(0, 70)}" must be 1-64 characters of A-Z a-z 0-9 _ -`);
  return { kid: id, key: randomBytes(KEY_BYTES) };
}
