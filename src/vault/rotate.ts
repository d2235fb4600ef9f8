import { VaultError } from './errors.ts';
import type { Vault } from './vault.ts';

export interface SealedRow {
  id: string;
  context: string;
  sealed: string;
}

/**
 * Where rotation reads and writes sealed values. `batches` should page by a
 * stable key (id), not by offset: rows leave the "needs rewrap" set as they
 * are rewrapped, and an offset would skip some. `update` is a compare-and-set:
 * it writes `newSealed` only if the row still holds `oldSealed`, and says
 * whether it did, so a concurrent re-seal (a token refresh) is never
 * overwritten with older credentials.
 */
export interface RotationSource {
  batches(): AsyncIterable<SealedRow[]>;
  update(id: string, oldSealed: string, newSealed: string): Promise<boolean>;
}

export interface RotationResult {
  /** Re-wrapped under the primary key and written. */
  rewrapped: number;
  /** Already under the primary key. */
  skipped: number;
  /** Changed by someone else between read and write; a rerun picks them up if they still need it. */
  conflicts: number;
  /** Could not be unwrapped (tampered or malformed); left as they are and listed in `failures`. */
  failed: number;
  failures: { id: string; message: string }[];
  /** False when stopped by the signal before the source was exhausted. */
  complete: boolean;
}

export interface RotationOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Readonly<RotationResult>) => void;
}

const MAX_LISTED_FAILURES = 100;

/**
 * Re-wraps every sealed value under the vault's primary key. It is safe
 * online (writes are compare-and-set), resumable (an interrupted run leaves
 * each row either old or new, and a rerun skips the new ones) and idempotent
 * (a second full run rewraps nothing). A kid missing from the ring stops the
 * run with that kid named: continuing would only fail on every row.
 */
export async function rotateAll(vault: Vault, source: RotationSource, options: RotationOptions = {}): Promise<RotationResult> {
  const result: RotationResult = { rewrapped: 0, skipped: 0, conflicts: 0, failed: 0, failures: [], complete: false };
  for await (const batch of source.batches()) {
    for (const row of batch) {
      if (options.signal?.aborted) return result;
      await rotateRow(vault, source, row, result);
    }
    options.onProgress?.(result);
  }
  result.complete = !options.signal?.aborted;
  return result;
}

async function rotateRow(vault: Vault, source: RotationSource, row: SealedRow, result: RotationResult): Promise<void> {
  let next: string;
  try {
    if (!vault.needsRewrap(row.sealed)) {
      result.skipped++;
      return;
    }
    next = vault.rewrap(row.sealed, row.context);
  } catch (err) {
    if (err instanceof VaultError && (err.reason === 'authentication' || err.reason === 'malformed')) {
      result.failed++;
      if (result.failures.length < MAX_LISTED_FAILURES) result.failures.push({ id: row.id, message: err.message });
      return;
    }
    throw err;
  }
  if (await source.update(row.id, row.sealed, next)) result.rewrapped++;
  else result.conflicts++;
}
