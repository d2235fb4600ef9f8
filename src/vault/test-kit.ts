import { KeyRing, type MasterKey } from './key-ring.ts';

/** Fixed test keys, so a failing case can be replayed byte for byte. */
export const KEY_A: MasterKey = { kid: 'kA', key: Buffer.alloc(32, 0xa1) };
export const KEY_B: MasterKey = { kid: 'kB', key: Buffer.alloc(32, 0xb2) };

export const ring = (...keys: MasterKey[]): KeyRing => new KeyRing(keys);

/** Flips one bit of one base64url part of a sealed value and re-encodes it canonically. */
export function flipBit(sealed: string, part: 2 | 3 | 4, bit: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  const i = bit % (bytes.length * 8);
  bytes[i >> 3]! ^= 1 << (i & 7);
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}
