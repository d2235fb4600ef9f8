import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rotateAll, type RotationSource, type SealedRow } from './rotate.ts';
import { KEY_A, KEY_B, ring } from './test-kit.ts';
import { Vault } from './vault.ts';

/**
 * An in-memory table with the store's contract: keyset pages by id and a
 * compare-and-set update. Hooks let a test interrupt or race a write.
 */
class MemorySource implements RotationSource {
  readonly rows = new Map<string, { context: string; sealed: string }>();
  updates = 0;
  beforeUpdate: ((id: string) => void) | undefined;
  readonly pageSize: number;

  constructor(pageSize: number) {
    this.pageSize = pageSize;
  }

  async *batches(): AsyncIterable<SealedRow[]> {
    let after = '';
    for (;;) {
      const page = [...this.rows.keys()].sort().filter((id) => id > after).slice(0, this.pageSize)
        .map((id) => ({ id, ...this.rows.get(id)! }));
      if (page.length === 0) return;
      yield page;
      after = page.at(-1)!.id;
    }
  }

  async update(id: string, oldSealed: string, newSealed: string): Promise<boolean> {
    this.beforeUpdate?.(id);
    const row = this.rows.get(id);
    if (!row || row.sealed !== oldSealed) return false;
    row.sealed = newSealed;
    this.updates++;
    return true;
  }
}

const id = (i: number) => `conn_${String(i).padStart(3, '0')}`;
const context = (i: number) => `connection:${id(i)}:credentials`;
const plaintext = (i: number) => `refresh-token-${i}`;

/** 25 rows sealed under kA, then a vault whose ring has kB as the new primary. */
function setup(pageSize = 4) {
  const old = new Vault(ring(KEY_A));
  const source = new MemorySource(pageSize);
  for (let i = 0; i < 25; i++) source.rows.set(id(i), { context: context(i), sealed: old.seal(plaintext(i), context(i)) });
  return { source, vault: new Vault(ring(KEY_B, KEY_A)) };
}

function assertAllRotated(source: MemorySource, vault: Vault): void {
  const onlyNew = new Vault(ring(KEY_B));
  for (const [rowId, row] of source.rows) {
    assert.equal(vault.kidOf(row.sealed), 'kB', `${rowId} still under ${vault.kidOf(row.sealed)}`);
    const i = Number(rowId.slice(5));
    assert.equal(onlyNew.open(row.sealed, row.context), plaintext(i), `${rowId} does not open without the old key`);
  }
}

describe('rotateAll', () => {
  it('re-wraps every value under the new primary; the old key is then no longer needed', async () => {
    const { source, vault } = setup();
    const before = [...source.rows.values()].map((r) => r.sealed);
    for (const [i, sealed] of before.entries()) assert.equal(vault.open(sealed, context(i)), plaintext(i), 'old values open before rotation');
    const result = await rotateAll(vault, source);
    assert.deepEqual(result, { rewrapped: 25, skipped: 0, conflicts: 0, failed: 0, failures: [], complete: true });
    assertAllRotated(source, vault);
  });

  it('is idempotent: a second run rewraps nothing and writes nothing', async () => {
    const { source, vault } = setup();
    await rotateAll(vault, source);
    const snapshot = JSON.stringify([...source.rows]);
    const writes = source.updates;
    const again = await rotateAll(vault, source);
    assert.deepEqual({ ...again, failures: undefined }, { rewrapped: 0, skipped: 25, conflicts: 0, failed: 0, failures: undefined, complete: true });
    assert.equal(source.updates, writes);
    assert.equal(JSON.stringify([...source.rows]), snapshot);
  });

  it('resumes after a crash midway: the rerun finishes the rest and rewraps each row exactly once', async () => {
    const { source, vault } = setup();
    source.beforeUpdate = () => {
      if (source.updates === 11) throw new Error('process killed');
    };
    await assert.rejects(rotateAll(vault, source), /process killed/);
    const kids = [...source.rows.values()].map((r) => vault.kidOf(r.sealed));
    assert.equal(kids.filter((k) => k === 'kB').length, 11);
    assert.equal(kids.filter((k) => k === 'kA').length, 14);
    source.beforeUpdate = undefined;
    const rest = await rotateAll(vault, source);
    assert.equal(rest.rewrapped, 14);
    assert.equal(rest.skipped, 11);
    assert.equal(source.updates, 25, 'every row written exactly once across both runs');
    assertAllRotated(source, vault);
  });

  it('stops between rows when the signal aborts, reporting an incomplete run that a rerun completes', async () => {
    const { source, vault } = setup();
    const controller = new AbortController();
    source.beforeUpdate = () => {
      if (source.updates === 6) controller.abort();
    };
    const partial = await rotateAll(vault, source, { signal: controller.signal });
    assert.equal(partial.complete, false);
    assert.equal(partial.rewrapped, 7);
    source.beforeUpdate = undefined;
    const rest = await rotateAll(vault, source);
    assert.deepEqual([rest.rewrapped, rest.skipped, rest.complete], [18, 7, true]);
    assertAllRotated(source, vault);
  });

  it('works online: a value re-sealed concurrently is a conflict, and the newer value is kept', async () => {
    const { source, vault } = setup();
    source.beforeUpdate = (rowId) => {
      if (rowId === id(5)) source.rows.get(rowId)!.sealed = vault.seal('refresh-token-5-rotated', context(5));
    };
    const result = await rotateAll(vault, source);
    assert.deepEqual([result.rewrapped, result.conflicts], [24, 1]);
    assert.equal(vault.open(source.rows.get(id(5))!.sealed, context(5)), 'refresh-token-5-rotated');
    source.beforeUpdate = undefined;
    const again = await rotateAll(vault, source);
    assert.deepEqual([again.rewrapped, again.skipped, again.conflicts], [0, 25, 0]);
  });

  it('reports progress after every batch', async () => {
    const { source, vault } = setup(10);
    const seen: number[] = [];
    await rotateAll(vault, source, { onProgress: (p) => seen.push(p.rewrapped + p.skipped) });
    assert.deepEqual(seen, [10, 20, 25]);
  });

  it('lists a tampered row and carries on with the others', async () => {
    const { source, vault } = setup();
    const row = source.rows.get(id(3))!;
    row.context = 'connection:conn_999:credentials';
    const result = await rotateAll(vault, source);
    assert.deepEqual([result.rewrapped, result.failed], [24, 1]);
    assert.equal(result.failures[0]!.id, id(3));
    assert.match(result.failures[0]!.message, /^sealed value failed authentication/);
    assert.equal(vault.kidOf(row.sealed), 'kA', 'a row that fails is left untouched');
  });

  it('stops with the kid named when a key left the ring before its values were re-wrapped', async () => {
    const { source } = setup();
    await assert.rejects(rotateAll(new Vault(ring(KEY_B)), source), /^VaultError: master key kA is not in the key ring$/m);
    assert.equal(source.updates, 0);
  });
});
