import { HubError } from '../domain/errors.ts';

/**
 * Why the vault refused: every failure is one of these, never a garbage
 * plaintext. `unknown_kid` is an operator problem (a key left the ring too
 * early); `authentication` means tampering, the wrong context or the wrong
 * key under a kid; `malformed` means the value is not a sealed value at all.
 */
export type VaultFailure = 'unknown_kid' | 'authentication' | 'malformed' | 'bad_key_ring' | 'bad_context';

export class VaultError extends HubError {
  readonly reason: VaultFailure;
  readonly kid: string | undefined;

  constructor(reason: VaultFailure, message: string, opts: { kid?: string; cause?: unknown } = {}) {
    super('internal', message, { cause: opts.cause });
    this.name = 'VaultError';
    this.reason = reason;
    this.kid = opts.kid;
  }
}

export const unknownKid = (kid: string): VaultError => new VaultError('unknown_kid', `master key ${kid} is not in the key ring`, { kid });
