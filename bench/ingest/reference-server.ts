// The reference design #3's target was set against, measured in the same run
// as the hub: the smallest server that keeps the durability rule (a 2xx only
// after the commit that holds the event). One Fastify route, the hub's GitHub
// verifier, JSON validation, and a group commit per event-loop turn, written
// synchronously on the event loop at synchronous=FULL. No request ids,
// logging, metrics, security headers, source lookup or writer thread.
// REFERENCE_ROWS says what each delivery stores:
// - minimal: one row in one table with one unique (dedup key, source) index;
// - hub: the hub's own rows (the event and its processing job, through the
//   hub's row mappers) in the hub's migrated tables at DATABASE_FILE, with
//   every index the hub needs to list, claim and deduplicate them.
// Env: PORT, REFERENCE_ROWS, DATABASE_FILE, SECRET; for hub rows TENANT_ID and SOURCE_ID.
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';
import { github } from '../../src/webhooks/schemes/verify-github.ts';
import { newId } from '../../src/domain/ids.ts';
import { PROCESS_JOB } from '../../src/webhooks/group-commit.ts';
import { jobRow } from '../../src/store/repos/jobs.ts';
import { webhookEventRow } from '../../src/store/repos/webhook-events.ts';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES } from '../../src/store/dialect.ts';

const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
const HUB_ROWS = env('REFERENCE_ROWS') === 'hub';
const db = new SQLite(env('DATABASE_FILE'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
// The hub's checkpoint limit: any design can set it, so b/g leaves it out.
db.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);

/** Stores one delivery; false when its (dedup key, source) is already stored. */
let store: (dedupKey: string, body: Buffer, headers: Record<string, string>, type: string, now: number) => boolean;
if (HUB_ROWS) {
  const [tenantId, sourceId] = [env('TENANT_ID'), env('SOURCE_ID')];
  const prepare = (table: string, row: object, tail = '') => {
    const cols = Object.keys(row);
    return db.prepare(`insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})${tail}`);
  };
  let insertEvent: SQLite.Statement | undefined;
  let insertJob: SQLite.Statement | undefined;
  store = (dedupKey, body, headers, type, now) => {
    const id = newId('event', now);
    const job = { id: newId('job', now), tenantId, kind: PROCESS_JOB, payload: { kind: PROCESS_JOB, v: 1, eventId: id, provider: 'github', type }, maxAttempts: 9, runAt: now, now };
    const event = webhookEventRow({ id, jobId: job.id, tenantId, sourceId, provider: 'github', eventType: type, dedupKey, body, headers, receivedAt: now });
    const jr = jobRow(job);
    insertEvent ??= prepare('webhook_events', event, ' on conflict ("dedup_key", "source_id") do nothing');
    insertJob ??= prepare('jobs', jr);
    if (insertEvent.run(Object.values(event)).changes === 0) return false;
    insertJob.run(Object.values(jr));
    return true;
  };
} else {
  db.exec('create table if not exists events (id integer primary key, source_id text not null, dedup_key text not null, event_type text not null, body blob not null, headers text not null, received_at integer not null)');
  db.exec('create unique index if not exists events_dedup on events (dedup_key, source_id)');
  const insert = db.prepare('insert into events (source_id, dedup_key, event_type, body, headers, received_at) values (?, ?, ?, ?, ?, ?) on conflict do nothing');
  store = (dedupKey, body, headers, type, now) => insert.run('reference', dedupKey, type, body, JSON.stringify(headers), now).changes === 1;
}

interface Pending { args: Parameters<typeof store>; resolve: (fresh: boolean) => void; reject: (err: unknown) => void }
let waiting: Pending[] = [];
const commit = db.transaction((batch: Pending[]) => batch.map((p) => store(...p.args)));
function flush(): void {
  const batch = waiting;
  waiting = [];
  try {
    commit.immediate(batch).forEach((fresh, i) => batch[i]!.resolve(fresh));
  } catch (err) {
    for (const p of batch) p.reject(err);
  }
}

const secrets = [env('SECRET')];
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.get('/health', async () => ({ status: 'ok' }));
app.post('/api/v1/webhooks/:provider/:sourceId', async (req, reply) => {
  const rawBody = req.body as Buffer;
  const headers = req.headers as Record<string, string>;
  const request = { rawBody, headers, method: req.method, url: req.url };
  const now = Date.now();
  if (!(await github.verify(request, { secrets, options: {}, now })).ok) return reply.code(401).send({ code: 'signature_invalid' });
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch (_err) {
    return reply.code(400).send({ code: 'invalid_json' });
  }
  const described = github.describe(request, body, {});
  const fresh = await new Promise<boolean>((resolve, reject) => {
    if (waiting.length === 0) setImmediate(flush);
    waiting.push({ args: [described.deliveryId!, rawBody, headers, described.type, now], resolve, reject });
  });
  return { duplicate: !fresh };
});
await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => { db.close(); process.exit(0); }));
