/**
 * Failure constructors, so every verifier words its outcomes the same way.
 * A `reason` is for logs: it names what was wrong, never a secret or a
 * computed signature.
 */
import type { VerifyFailure } from './types.ts';

export function missing(what: string): VerifyFailure {
  return { ok: false, code: 'signature_missing', reason: `missing ${what}` };
}

export function invalid(reason: string): VerifyFailure {
  return { ok: false, code: 'signature_invalid', reason };
}

export function stale(reason: string): VerifyFailure {
  return { ok: false, code: 'timestamp_out_of_window', reason };
}
