import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ingestDatabase, type IngestDatabase } from '../helpers/ingest-database.ts';
import type { DatabaseHandle } from '../../src/store/dialect.ts';
import { PostgresIngestWriter } from '../../src/store/postgres-ingest.ts';
import type { IngestRows } from '../../src/store/ingest-writer.ts';
import { jobRow } from '../../src/store/repos/jobs.ts';
import { webhookEventRow } from '../../src/store/repos/webhook-events.ts';
import { newId } from '../../src/domain/ids.ts';

describe('PostgreSQL ingest writer (one statement per batch)', () => {
  let ingest: IngestDatabase;
  let handle: DatabaseHandle;
  let tenantId: string;
  let sourceId: string;
  let writer: PostgresIngestWriter;

  before(async () => {
    ingest = await ingestDatabase('postgres', 'pg_ingest');
    ({ handle, tenantId, sourceId } = ingest);
    writer = new PostgresIngestWriter(handle.db);
  });
  after(async () => {
    await ingest?.close();
  });

  function rows(dedupKey: string, tenant = tenantId, body: Buffer = Buffer.from(`{"n":"${dedupKey}"}`)): IngestRows {
    const now = Date.now();
    const eventId = newId('event', now);
    const jobId = newId('job', now);
    return {
      job: jobRow({ id: jobId, tenantId: tenant, kind: 'webhook.process', payload: { kind: 'webhook.process', v: 1, eventId, note: 'quote " and \\ and ünïcode' }, maxAttempts: 8, runAt: now, now }),
      event: webhookEventRow({ id: eventId, tenantId: tenant, sourceId, provider: 'github', eventType: 'issues', dedupKey, jobId, body, headers: { 'x-github-event': 'issues' }, receivedAt: now }),
    };
  }
  const count = async (table: 'jobs' | 'webhook_events') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0]!.n);

  test('stores each job and event exactly as the mappers made them; duplicates in and across batches keep the first id', async () => {
    const binary = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x5c, 0x78]);
    const a = rows('d-1', tenantId, binary);
    const b = rows('d-2');
    const out = await writer.write([a, b, rows('d-1')]);
    assert.deepEqual(out, [
      { eventId: a.event.id, duplicate: false },
      { eventId: b.event.id, duplicate: false },
      { eventId: a.event.id, duplicate: true },
    ]);
    assert.deepEqual(await writer.write([rows('d-2'), rows('d-3')]).then((o) => o[0]), { eventId: b.event.id, duplicate: true });
    const event = await handle.db.selectFrom('webhook_events').selectAll().where('id', '=', a.event.id).executeTakeFirstOrThrow();
    assert.deepEqual(Buffer.from(event.body), binary);
    assert.equal(event.job_id, a.job.id);
    const job = await handle.db.selectFrom('jobs').selectAll().where('id', '=', a.job.id).executeTakeFirstOrThrow();
    // Every column as written, numbers included (bigint columns come back as strings from pg).
    assert.deepEqual({ ...job, run_at: Number(job.run_at), created_at: Number(job.created_at), updated_at: Number(job.updated_at) }, a.job);
    assert.deepEqual([await count('jobs'), await count('webhook_events')], [3, 3], 'no job for a duplicate');
  });

  test('two writers racing on the same keys store each once, and both answer with the stored id', async () => {
    const other = new PostgresIngestWriter(handle.db);
    const keys = Array.from({ length: 30 }, (_, i) => `race-${i}`);
    const [x, y] = await Promise.all([writer.write(keys.map((k) => rows(k))), other.write(keys.map((k) => rows(k)).reverse())]);
    const stored = await handle.db.selectFrom('webhook_events').select(['id', 'dedup_key', 'job_id']).where('dedup_key', 'like', 'race-%').execute();
    assert.equal(stored.length, 30);
    const byKey = new Map(stored.map((r) => [r.dedup_key, r.id]));
    keys.forEach((k, i) => {
      assert.equal(x[i]!.eventId, byKey.get(k));
      assert.equal(y[keys.length - 1 - i]!.eventId, byKey.get(k));
      assert.notEqual(x[i]!.duplicate, y[keys.length - 1 - i]!.duplicate, `${k}: exactly one writer stored it`);
    });
    const jobs = await handle.db.selectFrom('jobs').select('id').where('id', 'in', stored.map((r) => r.job_id)).execute();
    assert.equal(jobs.length, 30);
  });

  test('a failing batch leaves none of its rows and the next batch is written', async () => {
    const before = [await count('jobs'), await count('webhook_events')];
    // The second row names a tenant that does not exist: a foreign key fails mid-statement.
    await assert.rejects(writer.write([rows('f-1'), rows('f-2', 'ten_missing')]), (err: Error & { code?: string }) => {
      assert.equal(err.code, '23503');
      return true;
    });
    assert.deepEqual([await count('jobs'), await count('webhook_events')], before);
    assert.equal((await writer.write([rows('f-1')]))[0]!.duplicate, false);
  });
});
