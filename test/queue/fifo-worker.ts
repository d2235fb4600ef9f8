// A worker process for the cross-process FIFO test: it runs jobs of kind
// `test.fifo` and records start and end markers with a database sequence.
import pino from 'pino';
import { openDatabase } from '../../src/store/dialect.ts';
import { createStore } from '../../src/store/store.ts';
import { Queue } from '../../src/queue/queue.ts';
import { Worker } from '../../src/queue/worker.ts';
import { memoryNudger } from '../../src/queue/nudge.ts';
import { sql } from 'kysely';

const url = process.env.DATABASE_URL!;
const handle = openDatabase(url, { poolMax: 4 });
const store = createStore(handle);
const queue = new Queue(memoryNudger());
const name = process.argv[2] ?? 'w';
queue.register({
  kind: 'test.fifo',
  retrySchedule: [10],
  handle: async (job) => {
    const { key, seq } = job.payload as unknown as { key: string; seq: number };
    await sql`insert into fifo_log (job_key, seq, marker, worker) values (${key}, ${seq}, ${'start'}, ${name})`.execute(handle.db);
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 10)));
    await sql`insert into fifo_log (job_key, seq, marker, worker) values (${key}, ${seq}, ${'end'}, ${name})`.execute(handle.db);
  },
});
const worker = new Worker(store, queue, pino({ level: 'silent' }), { concurrency: 1, leaseMs: 10_000, pollMs: 20 });
worker.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.stop().then(() => handle.close()).then(() => process.exit(0));
});
