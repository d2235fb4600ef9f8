import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresNudger } from '../../src/queue/nudge.ts';
import { createTestDatabase } from '../helpers/databases.ts';

test('a PostgreSQL NOTIFY from one process\'s nudger wakes another\'s listener', async () => {
  const tdb = await createTestDatabase('postgres', 'nudge');
  const errors: Error[] = [];
  const a = await postgresNudger(tdb.url, (e) => errors.push(e));
  const b = await postgresNudger(tdb.url, (e) => errors.push(e));
  try {
    let woken = 0;
    const heard = new Promise<void>((resolve) => b.onNudge(() => {
      woken += 1;
      resolve();
    }));
    a.notify();
    await heard;
    assert.ok(woken >= 1, 'b heard a\'s notify over the database');
    assert.deepEqual(errors, []);
  } finally {
    await a.close();
    await b.close();
    await tdb.drop();
  }
});
