import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestDatabase, type IngestDatabase } from '../helpers/ingest-database.ts';
import type { DatabaseHandle } from '../../src/store/dialect.ts';
import type { Store } from '../../src/store/store.ts';
import { Queue } from '../../src/queue/queue.ts';
import { memoryNudger } from '../../src/queue/nudge.ts';
import { GroupCommitter } from '../../src/webhooks/group-commit.ts';
import { SqliteIngestThread } from '../../src/store/sqlite-ingest.ts';
import type { IngestRows, IngestWriter } from '../../src/store/ingest-writer.ts';

describe('group commit on SQLite', () => {
  let ingest: IngestDatabase;
  let handle: DatabaseHandle;
  let store: Store;
  let incoming: IngestDatabase['incoming'];
  before(async () => {
    ingest = await ingestDatabase('sqlite', 'group_commit');
    ({ handle, store, incoming } = ingest);
  });
  after(async () => {
    await ingest?.close();
  });

  /** The real writer thread, with the size of every batch it was handed written down. */
  function recording(): IngestWriter & { sizes: number[] } {
    const inner = new SqliteIngestThread({ file: handle.sqliteFile!, synchronous: 'FULL' });
    const sizes: number[] = [];
    return { sizes, write: (batch: IngestRows[]) => { sizes.push(batch.length); return inner.write(batch); }, close: () => inner.close() };
  }

  test('requests that arrive in one turn of the event loop share one transaction', async () => {
    const writer = recording();
    const committer = new GroupCommitter(store, new Queue(memoryNudger()), { enabled: true, maxBatch: 512, maxBytes: 8 << 20, maxConcurrent: 2, writer });
    const stored = await Promise.all(Array.from({ length: 50 }, (_, i) => committer.submit(incoming(`turn-${i}`))));
    assert.deepEqual(writer.sizes, [50]);
    assert.equal(new Set(stored.map((s) => s.eventId)).size, 50);
    assert.ok(stored.every((s) => !s.duplicate));
    // Each acknowledged event is stored with its job.
    const events = await handle.db.selectFrom('webhook_events').select(['id', 'job_id']).where('dedup_key', 'like', 'turn-%').execute();
    assert.equal(events.length, 50);
    const jobs = await handle.db.selectFrom('jobs').select('id').where('id', 'in', events.map((e) => e.job_id)).execute();
    assert.equal(jobs.length, 50);
    await committer.close();
  });

  test('a batch is capped, duplicates answer with the first id, and arrivals during a write form the next batch', async () => {
    const writer = recording();
    const committer = new GroupCommitter(store, new Queue(memoryNudger()), { enabled: true, maxBatch: 8, maxBytes: 8 << 20, maxConcurrent: 1, writer });
    const first = Promise.all(Array.from({ length: 20 }, (_, i) => committer.submit(incoming(`cap-${i}`))));
    const again = committer.submit(incoming('cap-3'));
    const stored = await first;
    assert.deepEqual(writer.sizes, [8, 8, 5]);
    assert.deepEqual(await again, { eventId: stored[3]!.eventId, duplicate: true });
    const late = await Promise.all([committer.submit(incoming('cap-late-1')), committer.submit(incoming('cap-late-2'))]);
    assert.deepEqual(writer.sizes, [8, 8, 5, 2]);
    assert.ok(late.every((s) => !s.duplicate));
    await committer.close();
  });

  test('with flushAt, a turn\'s arrivals are handed over every flushAt events instead of as one batch at the end of the turn', async () => {
    const writer = recording();
    const committer = new GroupCommitter(store, new Queue(memoryNudger()), { enabled: true, maxBatch: 512, maxBytes: 8 << 20, maxConcurrent: 8, flushAt: 16, writer });
    const stored = await Promise.all(Array.from({ length: 40 }, (_, i) => committer.submit(incoming(`split-${i}`))));
    // 16 and 16 as they arrive; the last 8 at the end of the turn.
    assert.deepEqual(writer.sizes, [16, 16, 8]);
    assert.equal(new Set(stored.map((s) => s.eventId)).size, 40);
    assert.equal((await handle.db.selectFrom('webhook_events').select('id').where('dedup_key', 'like', 'split-%').execute()).length, 40);
    await committer.close();
  });

  test('with group commit off (the naive design) every request commits alone, through the store', async () => {
    const committer = new GroupCommitter(store, new Queue(memoryNudger()), { enabled: false, maxBatch: 512, maxBytes: 8 << 20, maxConcurrent: 1 });
    const stored = await Promise.all(Array.from({ length: 5 }, (_, i) => committer.submit(incoming(`naive-${i}`))));
    const dup = await committer.submit(incoming('naive-2'));
    assert.equal(dup.eventId, stored[2]!.eventId);
    assert.equal(dup.duplicate, true);
    assert.equal((await handle.db.selectFrom('webhook_events').select('id').where('dedup_key', 'like', 'naive-%').execute()).length, 5);
    await committer.close();
  });
});
