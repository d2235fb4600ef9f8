import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './errors.ts';
import type { KeyRing } from './key-ring.ts';
import { IV_BYTES, TAG_BYTES, formatSealed, parseSealed } from './sealed-format.ts';

const DEK_BYTES = 32;
// Domain-separated AADs: the data AAD binds the ciphertext to its context
// only (so a rewrap never touches it); the wrap AAD binds the data key to
// the kid and the context, so neither can be swapped without failing.
const dataAad = (context: string) => Buffer.from(`switchyard/vault/v1/data\n${context}`, 'utf8');
const wrapAad = (kid: string, context: string) => Buffer.from(`switchyard/vault/v1/wrap\n${kid}\n${context}`, 'utf8');

/**
 * Envelope encryption of secrets. Each seal draws a fresh 256-bit data key
 * (DEK) and a fresh IV, encrypts the plaintext with AES-256-GCM under the
 * DEK, and wraps the DEK with AES-256-GCM under the primary master key. A
 * caller-chosen context (e.g. `connection:conn_123:credentials`) is bound
 * in as associated data, so a sealed value copied into another row does not
 * open there.
 */
export class Vault {
  readonly #ring: KeyRing;
  readonly #listeners = new Set<(plaintext: string) => void>();

  constructor(keyRing: KeyRing) {
    this.#ring = keyRing;
  }

  get primaryKid(): string {
    return this.#ring.primaryKid;
  }

  /**
   * Registers `fn` to see every plaintext sealed or opened, so the caller
   * can add it to the log redactor. Returns the unregister function.
   */
  onPlaintext(fn: (plaintext: string) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  seal(plaintext: string, context: string): string {
    checkContext(context);
    if (typeof plaintext !== 'string') throw new VaultError('malformed', 'only strings can be sealed');
    this.#emit(plaintext);
    const kid = this.#ring.primaryKid;
    const dek = randomBytes(DEK_BYTES);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dek, iv).setAAD(dataAad(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return formatSealed({ kid, wrapped: this.#wrap(dek, kid, context), iv, ciphertext });
    } finally {
      dek.fill(0);
    }
  }

  open(sealed: string, context: string): string {
    checkContext(context);
    const parts = parseSealed(sealed);
    const dek = this.#unwrap(parts.wrapped, parts.kid, context);
    try {
      const body = parts.ciphertext.subarray(0, parts.ciphertext.length - TAG_BYTES);
      const tag = parts.ciphertext.subarray(parts.ciphertext.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', dek, parts.iv).setAAD(dataAad(context)).setAuthTag(tag);
      let plaintext: string;
      try {
        plaintext = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (err) {
        throw failedAuthentication(parts.kid, err);
      }
      this.#emit(plaintext);
      return plaintext;
    } finally {
      dek.fill(0);
    }
  }

  /** The kid a sealed value is wrapped under. */
  kidOf(sealed: string): string {
    return parseSealed(sealed).kid;
  }

  /** True when the value is wrapped under a key other than the current primary. */
  needsRewrap(sealed: string): boolean {
    return parseSealed(sealed).kid !== this.#ring.primaryKid;
  }

  /**
   * Re-wraps the data key under the primary master key. The ciphertext and
   * IV stay as they are and the plaintext is never decrypted. A value already
   * under the primary comes back unchanged, so rewrapping twice is harmless.
   */
  rewrap(sealed: string, context: string): string {
    checkContext(context);
    const parts = parseSealed(sealed);
    const primary = this.#ring.primaryKid;
    if (parts.kid === primary) return sealed;
    const dek = this.#unwrap(parts.wrapped, parts.kid, context);
    try {
      return formatSealed({ ...parts, kid: primary, wrapped: this.#wrap(dek, primary, context) });
    } finally {
      dek.fill(0);
    }
  }

  #wrap(dek: Buffer, kid: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#ring.keyFor(kid), iv).setAAD(wrapAad(kid, context));
    return Buffer.concat([iv, cipher.update(dek), cipher.final(), cipher.getAuthTag()]);
  }

  #unwrap(wrapped: Buffer, kid: string, context: string): Buffer {
    const key = this.#ring.keyFor(kid);
    const iv = wrapped.subarray(0, IV_BYTES);
    const body = wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES);
    const tag = wrapped.subarray(wrapped.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(wrapAad(kid, context)).setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch (err) {
      throw failedAuthentication(kid, err);
    }
  }

  #emit(plaintext: string): void {
    for (const fn of this.#listeners) fn(plaintext);
  }
}

function checkContext(context: string): void {
  if (typeof context !== 'string' || context === '') throw new VaultError('bad_context', 'a sealed value needs a non-empty context, e.g. connection:conn_123:credentials');
}

function failedAuthentication(kid: string, cause: unknown): VaultError {
  return new VaultError('authentication', `sealed value failed authentication (kid ${kid}: tampered value, wrong context, or a different key under this kid)`, { kid, cause });
}
