import type { FastifyInstance } from 'fastify';
import { apiGuard, versionOf } from './api-guard.ts';
import { queryInfo, type QueryJob } from './bulk-jobs.ts';
import { DELIMITERS, toCsv } from './csv.ts';
import { fail, notFound, sendResult, sfError } from './errors.ts';
import { makeId, USER_ID } from './ids.ts';
import { runSoql } from './soql-eval.ts';
import { sfDateTime } from './store.ts';
import type { SfCtx } from './state.ts';

/**
 * Bulk API 2.0 query jobs. The result set is fixed when the job is created;
 * pages come from `/results?locator=&maxRecords=` and the next locator is in
 * the `Sforce-Locator` header (base64 of the offset), the string `null` at the end.
 */
export function registerBulkQueryRoutes(app: FastifyInstance, ctx: SfCtx): void {
  const pre = { preHandler: apiGuard(ctx) };
  const base = '/services/data/:ver/jobs/query';
  const jobOf = (id: string) => ctx.state.queryJobs.get(id);

  app.post(base, pre, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const operation = b.operation ?? 'query';
    if (operation !== 'query' && operation !== 'queryAll') return sendResult(reply, fail(400, sfError('INVALIDJOB', `Invalid operation: ${operation}`)));
    const run = runSoql(ctx.state.store, b.query ?? '', operation === 'queryAll');
    if ('errorCode' in run) return sendResult(reply, fail(400, run));
    if (run.count) return sendResult(reply, fail(400, sfError('INVALIDJOB', 'InvalidJob : COUNT() is not supported in Bulk API 2.0 queries')));
    const delimiter = b.columnDelimiter ?? 'COMMA';
    if (!DELIMITERS[delimiter]) return sendResult(reply, fail(400, sfError('INVALIDJOB', `Invalid column delimiter: ${delimiter}`)));
    const now = Date.now();
    const job: QueryJob = {
      id: makeId('750', (ctx.state.serial += 1)), object: run.obj.name, operation, query: b.query ?? '', state: 'UploadComplete',
      createdDate: sfDateTime(now), systemModstamp: sfDateTime(now), apiVersion: versionOf(req), lineEnding: b.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
      columnDelimiter: delimiter, numberRecordsProcessed: 0, startedAt: now, fields: run.fields,
      rows: run.rows.map((r) => run.fields.map((f) => r[f] ?? null)),
    };
    ctx.state.queryJobs.set(job.id, job);
    const delay = ctx.knobs.bulkProcessingMs;
    setTimeout(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'InProgress';
      setTimeout(() => {
        if (job.state !== 'InProgress') return;
        job.state = 'JobComplete';
        job.numberRecordsProcessed = job.rows.length;
        job.finishedAt = Date.now();
        job.systemModstamp = sfDateTime(job.finishedAt);
      }, delay);
    }, delay);
    return queryInfo(job, USER_ID, false);
  });

  app.get(base, pre, async () => ({ done: true, records: [...ctx.state.queryJobs.values()].map((j) => queryInfo(j, USER_ID, false)), nextRecordsUrl: null }));

  app.get(`${base}/:id`, pre, async (req, reply) => {
    const job = jobOf((req.params as { id: string }).id);
    return job ? queryInfo(job, USER_ID, true) : sendResult(reply, notFound());
  });

  app.patch(`${base}/:id`, pre, async (req, reply) => {
    const job = jobOf((req.params as { id: string }).id);
    if (!job) return sendResult(reply, notFound());
    if (((req.body ?? {}) as { state?: string }).state !== 'Aborted' || job.state === 'JobComplete') {
      return sendResult(reply, fail(400, sfError('INVALIDJOBSTATE', `Invalid state transition from ${job.state}`)));
    }
    job.state = 'Aborted';
    return queryInfo(job, USER_ID, false);
  });

  app.delete(`${base}/:id`, pre, async (req, reply) => {
    if (!ctx.state.queryJobs.delete((req.params as { id: string }).id)) return sendResult(reply, notFound());
    return reply.code(204).send();
  });

  app.get(`${base}/:id/results`, pre, async (req, reply) => {
    const job = jobOf((req.params as { id: string }).id);
    if (!job) return sendResult(reply, notFound());
    if (job.state !== 'JobComplete') return sendResult(reply, fail(400, sfError('INVALIDJOBSTATE', `Query job is in state ${job.state}; results are available once it is JobComplete`)));
    const q = req.query as { locator?: string; maxRecords?: string };
    const offset = q.locator ? Number(Buffer.from(q.locator, 'base64').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) return sendResult(reply, fail(400, sfError('INVALID_LOCATOR', 'Invalid locator')));
    const max = q.maxRecords ? Math.max(1, Number(q.maxRecords)) : ctx.knobs.bulkQueryPageSize;
    const slice = job.rows.slice(offset, offset + max);
    const next = offset + slice.length;
    const locator = next < job.rows.length ? Buffer.from(String(next)).toString('base64').replace(/=+$/, '') : 'null';
    const csv = toCsv(job.fields, slice, DELIMITERS[job.columnDelimiter], job.lineEnding === 'CRLF' ? '\r\n' : '\n');
    if (ctx.takeMalformed()) return reply.code(200).type('text/csv').header('Sforce-Locator', locator).send(csv.slice(0, Math.max(1, csv.length / 2)).replace(/"$/, ''));
    return reply.code(200).type('text/csv').header('Sforce-Locator', locator).header('Sforce-NumberOfRecords', String(slice.length)).send(csv);
  });
}
