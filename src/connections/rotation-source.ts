import type { RotationSource, SealedRow } from '../vault/rotate.ts';
import type { Store } from '../store/store.ts';
import { credentialsContext } from './credentials.ts';

/**
 * Connections as a source for the vault's master-key rotation
 * (`rotateAll(vault, connectionRotationSource(store))`). Rows are paged by
 * id, each with the context it was sealed under; the write is a
 * compare-and-set on the sealed text, so a refresh that re-seals a row
 * during rotation wins and the rewrap of the older value is dropped.
 *
 * OAuth states hold sealed PKCE verifiers too; they live minutes
 * (`stateTtlMs`), so they are not rotated: keep the old key in the ring
 * that long after a rotation.
 */
export function connectionRotationSource(store: Store, batchSize = 200): RotationSource {
  return {
    async *batches(): AsyncIterable<SealedRow[]> {
      let after = '';
      for (;;) {
        const rows = await store.connectionMaintenance.sealedAfter(after, batchSize);
        if (rows.length === 0) return;
        yield rows.map((r) => ({ id: r.id, context: credentialsContext(r.tenantId, r.id), sealed: r.sealed }));
        after = rows.at(-1)!.id;
      }
    },
    update: (id, oldSealed, newSealed) => store.connectionMaintenance.replaceSealed(id, oldSealed, newSealed),
  };
}
