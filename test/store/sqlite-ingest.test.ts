import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { ingestDatabase, type IngestDatabase } from '../helpers/ingest-database.ts';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES, type DatabaseHandle } from '../../src/store/dialect.ts';
import { SqliteIngestThread } from '../../src/store/sqlite-ingest.ts';
import type { IngestRows } from '../../src/store/ingest-writer.ts';
import { jobRow } from '../../src/store/repos/jobs.ts';
import { webhookEventRow } from '../../src/store/repos/webhook-events.ts';
import { newId } from '../../src/domain/ids.ts';

describe('SQLite ingest writer thread', () => {
  let ingest: IngestDatabase;
  let handle: DatabaseHandle;
  let tenantId: string;
  let sourceId: string;
  let writer: SqliteIngestThread;

  before(async () => {
    ingest = await ingestDatabase('sqlite', 'ingest_thread');
    ({ handle, tenantId, sourceId } = ingest);
    writer = new SqliteIngestThread({ file: handle.sqliteFile!, synchronous: 'FULL', busyTimeoutMs: 200 });
  });
  after(async () => {
    await writer?.close();
    await ingest?.close();
  });

  function rows(dedupKey: string, tenant = tenantId): IngestRows {
    const now = Date.now();
    const eventId = newId('event', now);
    const jobId = newId('job', now);
    return {
      job: jobRow({ id: jobId, tenantId: tenant, kind: 'webhook.process', payload: { kind: 'webhook.process', v: 1, eventId }, maxAttempts: 8, runAt: now, now }),
      event: webhookEventRow({ id: eventId, tenantId: tenant, sourceId, provider: 'github', eventType: 'issues', dedupKey, jobId, body: Buffer.from(`{"n":"${dedupKey}"}`), headers: { 'x-github-event': 'issues' }, receivedAt: now }),
    };
  }
  const count = async (table: 'jobs' | 'webhook_events' | 'outbox') =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0]!.n);

  test('stores the job and the event with its exact bytes, and nothing else; duplicates keep the first id', async () => {
    const a = rows('d-1');
    const b = rows('d-2');
    const again = rows('d-1');
    const out = await writer.write([a, b, again]);
    assert.deepEqual(out, [
      { eventId: a.event.id, duplicate: false },
      { eventId: b.event.id, duplicate: false },
      { eventId: a.event.id, duplicate: true },
    ]);
    assert.deepEqual(await writer.write([]), []);
    const later = await writer.write([rows('d-2')]);
    assert.deepEqual(later, [{ eventId: b.event.id, duplicate: true }]);
    const stored = await handle.db.selectFrom('webhook_events').selectAll().where('id', '=', a.event.id).executeTakeFirstOrThrow();
    assert.equal(Buffer.from(stored.body).toString(), '{"n":"d-1"}');
    assert.equal(stored.job_id, a.job.id);
    assert.deepEqual([await count('jobs'), await count('webhook_events'), await count('outbox')], [2, 2, 0]);
  });

  test('a failing batch leaves none of its rows, reports the database code, and the next batch is written', async () => {
    const before = [await count('jobs'), await count('webhook_events'), await count('outbox')];
    // The second row names a tenant that does not exist: a foreign key fails mid-batch.
    await assert.rejects(writer.write([rows('f-1'), rows('f-2', 'ten_missing')]), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
      return true;
    });
    assert.deepEqual([await count('jobs'), await count('webhook_events'), await count('outbox')], before);
    const ok = await writer.write([rows('f-1')]);
    assert.equal(ok[0]!.duplicate, false);
  });

  test('a write lock held elsewhere past the busy timeout fails the batch (the hub answers 503) and writes nothing', async () => {
    const other = new SQLite(handle.sqliteFile!);
    other.exec('begin exclusive');
    try {
      await assert.rejects(writer.write([rows('busy-1')]), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'SQLITE_BUSY');
        return true;
      });
    } finally {
      other.exec('rollback');
      other.close();
    }
    assert.equal((await handle.db.selectFrom('webhook_events').select('id').where('dedup_key', '=', 'busy-1').execute()).length, 0);
    assert.equal((await writer.write([rows('busy-1')]))[0]!.duplicate, false);
  });

  test('batches queued behind a commit share the next transaction, and a failing one fails alone', async () => {
    const w = new SqliteIngestThread({ file: handle.sqliteFile!, synchronous: 'FULL', busyTimeoutMs: 10_000 });
    await w.write([rows('m-warm')]);
    // Another connection holds the write lock, so the thread blocks on the
    // first batch and the next three queue up behind it; they are merged.
    const other = new SQLite(handle.sqliteFile!);
    other.exec('begin immediate');
    const first = w.write([rows('m-0')]);
    const good = w.write([rows('m-1'), rows('m-2')]);
    const bad = assert.rejects(w.write([rows('m-3'), rows('m-4', 'ten_missing')]), (err: Error & { code?: string }) => err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY');
    const dup = rows('m-1');
    const last = w.write([rows('m-5'), dup]);
    await new Promise((r) => setTimeout(r, 50));
    other.exec('rollback');
    other.close();
    try {
      assert.equal((await first)[0]!.duplicate, false);
      const [g1, g2] = await good;
      assert.deepEqual([g1!.duplicate, g2!.duplicate], [false, false]);
      await bad;
      // The merged transaction rolled back and was redone batch by batch; the
      // duplicate still answers with the id stored by the batch before it.
      assert.deepEqual((await last)[1], { eventId: g1!.eventId, duplicate: true });
      const keys = (await handle.db.selectFrom('webhook_events').select('dedup_key').where('dedup_key', 'like', 'm-%').execute()).map((r) => r.dedup_key).sort();
      assert.deepEqual(keys, ['m-0', 'm-1', 'm-2', 'm-5', 'm-warm']);
    } finally {
      await w.close();
    }
  });

  test('close() writes every batch handed over before it', async () => {
    const w = new SqliteIngestThread({ file: handle.sqliteFile!, synchronous: 'FULL' });
    const pending = Array.from({ length: 20 }, (_, i) => w.write([rows(`c-${i}`), rows(`c-${i}-b`)]));
    await w.close();
    const outs = await Promise.all(pending);
    assert.equal(outs.flat().filter((o) => !o.duplicate).length, 40);
    assert.equal((await handle.db.selectFrom('webhook_events').select('id').where('dedup_key', 'like', 'c-%').execute()).length, 40);
  });

  test('the WAL grows to the shared checkpoint limit before a commit copies it back, and the limit is a knob', async () => {
    // Frames in the WAL, and how many of them a checkpoint has copied back.
    const wal = () => {
      const c = new SQLite(handle.sqliteFile!);
      try {
        return (c.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[])[0]!;
      } finally {
        c.close();
      }
    };
    const fill = async (w: SqliteIngestThread, prefix: string) => {
      for (let i = 0; i < 90; i++) await w.write(Array.from({ length: 10 }, (_, j) => rows(`${prefix}-${i}-${j}`)));
    };
    const mainLimit = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(handle.db)).rows[0]!.wal_autocheckpoint;
    assert.equal(mainLimit, SQLITE_WAL_AUTOCHECKPOINT_PAGES);
    wal(); // copied back: the next commit starts the WAL over
    const long = new SqliteIngestThread({ file: handle.sqliteFile!, synchronous: 'FULL' });
    await fill(long, 'wal-long');
    await long.close();
    // Past SQLite's default of 1000 frames, and nothing copied back by the writer.
    const grown = wal();
    assert.ok(grown.log > 1000 && grown.log < SQLITE_WAL_AUTOCHECKPOINT_PAGES, `frames ${grown.log}`);
    const short = new SqliteIngestThread({ file: handle.sqliteFile!, synchronous: 'FULL', walAutocheckpointPages: 200 });
    await fill(short, 'wal-short');
    await short.close();
    // The same writes with a limit of 200: the writer checkpointed and started over.
    const bounded = wal();
    assert.ok(bounded.log < 400, `frames ${bounded.log}`);
  });

  test('a thread that cannot open its database fails the waiting batch with a clear error', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'sy-missing-')), 'no', 'such', 'dir', 'db.sqlite');
    const w = new SqliteIngestThread({ file: missing, synchronous: 'FULL' });
    await assert.rejects(w.write([rows('x')]), /Cannot open database because the directory does not exist/);
    // The dead thread is replaced on the next write, which fails the same way rather than hanging.
    await assert.rejects(w.write([rows('y')]), /directory does not exist/);
  });
});
