import type { FastifyInstance, FastifyReply } from 'fastify';
import { apiGuard, versionOf } from './api-guard.ts';
import { scheduleIngest } from './bulk-ingest.ts';
import { INGEST_TRANSITIONS, ingestInfo, type IngestJob, type JobState } from './bulk-jobs.ts';
import { DELIMITERS, toCsv } from './csv.ts';
import { fail, notFound, sendResult, sfError } from './errors.ts';
import { makeId, USER_ID } from './ids.ts';
import { fieldDef, objectDef } from './schema.ts';
import { sfDateTime } from './store.ts';
import type { SfCtx } from './state.ts';

/** Bulk API 2.0 ingest: create job, PUT CSV, PATCH UploadComplete, poll, fetch result CSVs. */
const OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

export function registerBulkIngestRoutes(app: FastifyInstance, ctx: SfCtx): void {
  const pre = { preHandler: apiGuard(ctx) };
  const base = '/services/data/:ver/jobs/ingest';
  const jobOf = (id: string) => ctx.state.ingestJobs.get(id);
  const invalidJob = (r: FastifyReply, msg: string) => sendResult(r, fail(400, sfError('INVALIDJOB', msg)));

  app.post(base, pre, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const obj = objectDef(b.object ?? '');
    if (!obj) return invalidJob(reply, `InvalidJob : Invalid job object: ${b.object ?? ''}`);
    if (!OPERATIONS.includes(b.operation ?? '')) return invalidJob(reply, `InvalidJob : Invalid operation: ${b.operation ?? ''}`);
    if (b.operation === 'upsert' && !(b.externalIdFieldName && fieldDef(obj, b.externalIdFieldName))) return invalidJob(reply, 'InvalidJob : External ID was blank or not valid');
    const delimiter = b.columnDelimiter ?? 'COMMA';
    if (!DELIMITERS[delimiter]) return invalidJob(reply, `InvalidJob : Invalid column delimiter: ${delimiter}`);
    const now = Date.now();
    const job: IngestJob = {
      id: makeId('750', (ctx.state.serial += 1)), object: obj.name, operation: b.operation as IngestJob['operation'],
      ...(b.externalIdFieldName ? { externalIdFieldName: b.externalIdFieldName } : {}),
      state: 'Open', createdDate: sfDateTime(now), systemModstamp: sfDateTime(now), apiVersion: versionOf(req),
      lineEnding: b.lineEnding === 'CRLF' ? 'CRLF' : 'LF', columnDelimiter: delimiter, numberRecordsProcessed: 0, numberRecordsFailed: 0,
      startedAt: now, uploads: [], header: [], successful: [], failed: [], unprocessed: [],
    };
    ctx.state.ingestJobs.set(job.id, job);
    return ingestInfo(job, USER_ID, false);
  });

  app.get(base, pre, async () => ({ done: true, records: [...ctx.state.ingestJobs.values()].map((j) => ingestInfo(j, USER_ID, false)), nextRecordsUrl: null }));

  app.put(`${base}/:id/batches`, pre, async (req, reply) => {
    const job = jobOf((req.params as { id: string }).id);
    if (!job) return sendResult(reply, notFound());
    if (job.state !== 'Open') return sendResult(reply, fail(409, sfError('INVALIDJOBSTATE', `Found Job in ${job.state} state, but expected Open`)));
    job.uploads.push(typeof req.body === 'string' ? req.body : String(req.body ?? ''));
    return reply.code(201).send();
  });

  app.patch(`${base}/:id`, pre, async (req, reply) => {
    const job = jobOf((req.params as { id: string }).id);
    if (!job) return sendResult(reply, notFound());
    const target = ((req.body ?? {}) as { state?: JobState }).state;
    if (!target || !INGEST_TRANSITIONS[job.state].includes(target) || target === 'InProgress') {
      return sendResult(reply, fail(400, sfError('INVALIDJOBSTATE', `Invalid state transition from ${job.state} to ${String(target)}`)));
    }
    job.state = target;
    job.systemModstamp = sfDateTime(Date.now());
    if (target === 'UploadComplete') scheduleIngest(ctx, job);
    return ingestInfo(job, USER_ID, false);
  });

  app.get(`${base}/:id`, pre, async (req, reply) => {
    const job = jobOf((req.params as { id: string }).id);
    return job ? ingestInfo(job, USER_ID, true) : sendResult(reply, notFound());
  });

  app.delete(`${base}/:id`, pre, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!ctx.state.ingestJobs.delete(id)) return sendResult(reply, notFound());
    return reply.code(204).send();
  });

  const results = (kind: 'successful' | 'failed' | 'unprocessed') => async (req: { params: unknown }, reply: FastifyReply) => {
    const job = jobOf((req.params as { id: string }).id);
    if (!job) return sendResult(reply, notFound());
    const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
    const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    const header = kind === 'successful' ? ['sf__Id', 'sf__Created', ...job.header] : kind === 'failed' ? ['sf__Id', 'sf__Error', ...job.header] : job.header;
    return reply.code(200).type('text/csv').send(toCsv(header, job[kind], delimiter, eol));
  };
  app.get(`${base}/:id/successfulResults`, pre, results('successful'));
  app.get(`${base}/:id/successfulResults/`, pre, results('successful'));
  app.get(`${base}/:id/failedResults`, pre, results('failed'));
  app.get(`${base}/:id/failedResults/`, pre, results('failed'));
  app.get(`${base}/:id/unprocessedrecords`, pre, results('unprocessed'));
  app.get(`${base}/:id/unprocessedrecords/`, pre, results('unprocessed'));
}
