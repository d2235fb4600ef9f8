import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A stand-in with the vault's shape (seal/open bound to a context) for the
 * connection tests, so they do not depend on src/vault's progress. It is a
 * real AES-256-GCM with the context as additional data: a sealed value
 * opened under another context fails, as the real one must.
 */
export class TestVault {
  readonly #key: Buffer;

  constructor(keyBase64?: string) {
    this.#key = keyBase64 ? Buffer.from(keyBase64, 'base64') : randomBytes(32);
  }

  get keyBase64(): string {
    return this.#key.toString('base64');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(Buffer.from(context));
    const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return `t1.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(context));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
}
