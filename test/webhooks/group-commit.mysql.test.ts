import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestDatabase, type IngestDatabase } from '../helpers/ingest-database.ts';
import type { DatabaseHandle } from '../../src/store/dialect.ts';
import type { Store } from '../../src/store/store.ts';
import { Queue } from '../../src/queue/queue.ts';
import { memoryNudger } from '../../src/queue/nudge.ts';
import { GroupCommitter } from '../../src/webhooks/group-commit.ts';

// MariaDB has no ingest writer: batches go through the store's transaction,
// two at once, as main.ts configures it. Two batches in flight can hold the
// same new key, and only the unique index can tell; the loser looks again.
describe('group commit on MariaDB (the store\'s transaction, two batches in flight)', () => {
  let ingest: IngestDatabase;
  let handle: DatabaseHandle;
  let store: Store;
  let incoming: IngestDatabase['incoming'];
  before(async () => {
    ingest = await ingestDatabase('mysql', 'group_commit');
    ({ handle, store, incoming } = ingest);
  });
  after(async () => {
    await ingest?.close();
  });

  test('concurrent batches holding the same new keys store each key once, and every copy answers with its id', async () => {
    const committer = new GroupCommitter(store, new Queue(memoryNudger()), { enabled: true, maxBatch: 512, maxBytes: 8 << 20, maxConcurrent: 2, flushAt: 8 });
    // 40 deliveries of 8 keys, handed over 8 at a time: every batch holds one
    // copy of each key, and two batches run at once, so whichever commits
    // second finds its keys taken by the unique index, not by its lookup.
    const keys = Array.from({ length: 40 }, (_, i) => `my-${i % 8}`);
    const stored = await Promise.all(keys.map((k) => committer.submit(incoming(k))));
    for (let k = 0; k < 8; k++) {
      const copies = stored.filter((_, i) => i % 8 === k);
      assert.equal(new Set(copies.map((c) => c.eventId)).size, 1, `every copy of my-${k} answers with one id`);
      assert.equal(copies.filter((c) => !c.duplicate).length, 1, `one copy of my-${k} is new`);
    }
    const events = await handle.db.selectFrom('webhook_events').select(['id', 'job_id']).where('dedup_key', 'like', 'my-%').execute();
    assert.equal(events.length, 8);
    assert.equal((await handle.db.selectFrom('jobs').select('id').where('id', 'in', events.map((e) => e.job_id)).execute()).length, 8);
    await committer.close();
  });
});
