import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../../store/store.ts';
import type { SyncRun } from '../../store/repos/sync-runs.ts';
import { CONFLICT_POLICIES, DELETE_POLICIES, DIRECTIONS, TRIGGERS, syncView, definitionOf } from '../../sync/definition.ts';
import type { SyncPatchInput, SyncService } from '../../sync/service.ts';
import { principalOf } from '../auth.ts';
import '../types.ts';

/** What the sync routes need; main.ts builds it. */
export interface SyncRouteDeps {
  store: Store;
  syncs: SyncService;
  /** How often the progress stream looks at the run row (default 250 ms). */
  streamPollMs?: number;
}

const endpoint = { type: 'object', properties: { connectionId: { type: 'string' }, model: { type: 'string' }, params: { type: 'object', additionalProperties: true } } } as const;

const syncSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, source: endpoint, target: endpoint, mappingId: { type: 'string' }, mappingVersion: { type: ['integer', 'null'] },
    direction: { type: 'string', enum: [...DIRECTIONS] }, key: { type: 'object', additionalProperties: true },
    conflictPolicy: { type: 'string', enum: [...CONFLICT_POLICIES] }, conflictFallback: { type: 'string', enum: ['source', 'target'] },
    schedule: { type: ['string', 'null'] }, triggers: { type: 'array', items: { type: 'string', enum: [...TRIGGERS] } }, webhookSourceIds: { type: ['array', 'null'], items: { type: 'string' } },
    filters: {}, deletePolicy: { type: 'string', enum: [...DELETE_POLICIES] }, deleteMark: { type: ['object', 'null'], additionalProperties: true },
    reverseCreates: { type: 'boolean' }, pageSize: { type: ['integer', 'null'] }, status: { type: 'string', enum: ['active', 'paused'] },
    createdAt: { type: 'integer' }, updatedAt: { type: 'integer' },
  },
} as const;

const count = { type: 'integer' } as const;
export const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, syncId: { type: 'string' }, jobId: { type: ['string', 'null'] }, mode: { type: 'string', enum: ['full', 'incremental', 'records'] },
    trigger: { type: 'string' }, status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] }, phase: { type: 'string' },
    progress: { type: 'object', properties: { pages: count, read: count, created: count, updated: count, skipped: count, failed: count, conflicts: count, deleted: count, rateLimitWaitMs: count } },
    failures: { type: 'array', items: { type: 'object', properties: { side: { type: 'string' }, id: { type: 'string' }, reason: { type: 'string' } } } },
    error: { type: ['string', 'null'] }, attempts: count, createdAt: count, startedAt: { type: ['integer', 'null'] }, finishedAt: { type: ['integer', 'null'] }, updatedAt: count,
  },
} as const;

const problems = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } };
const idParams = { type: 'object', properties: { id: { type: 'string' } } } as const;
const runParams = { type: 'object', properties: { id: { type: 'string' }, runId: { type: 'string' } } } as const;
const listQuery = { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string' } } } as const;

const finished = (r: SyncRun) => r.status === 'completed' || r.status === 'failed';

export function syncRoutes(deps: SyncRouteDeps) {
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  return async (app: FastifyInstance) => {
    app.post('/syncs', {
      config: { scope: 'syncs:write' },
      schema: {
        tags: ['syncs'], summary: 'Define a sync: source and target (connection, model, params), mapping, direction, key, conflict and delete policies, schedule, triggers, filters',
        description: 'Checked against the connections, connector models, mapping and cron expression before it is stored; every problem is reported with its field. See docs/sync.md.',
        body: { type: 'object', additionalProperties: true },
        response: { 201: syncSchema, ...problems },
      },
    }, async (req, reply) => reply.code(201).send(await deps.syncs.create(tenant(req), req.body)));

    app.get('/syncs', {
      config: { scope: 'syncs:read' },
      schema: { tags: ['syncs'], summary: 'List syncs', querystring: listQuery, response: { 200: { type: 'object', properties: { items: { type: 'array', items: syncSchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems } },
    }, async (req) => {
      const page = await deps.store.forTenant(tenant(req)).syncs.list(req.query as { limit: number });
      return { items: page.items.map((r) => syncView(definitionOf(r))), nextCursor: page.nextCursor };
    });

    app.get('/syncs/:id', {
      config: { scope: 'syncs:read' },
      schema: { tags: ['syncs'], params: idParams, response: { 200: syncSchema, ...problems } },
    }, async (req) => syncView(await deps.syncs.get(tenant(req), (req.params as { id: string }).id)));

    app.patch('/syncs/:id', {
      config: { scope: 'syncs:write' },
      schema: {
        tags: ['syncs'], summary: 'Pause or resume, change the schedule, triggers, conflict policy or pinned mapping version', params: idParams,
        body: {
          type: 'object', additionalProperties: false, minProperties: 1,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 }, status: { type: 'string', enum: ['active', 'paused'] }, schedule: { type: ['string', 'null'], maxLength: 100 },
            triggers: { type: 'array', items: { type: 'string', enum: [...TRIGGERS] } }, conflictPolicy: { type: 'string', enum: [...CONFLICT_POLICIES] },
            conflictFallback: { type: 'string', enum: ['source', 'target'] }, mappingVersion: { type: ['integer', 'null'], minimum: 1 },
          },
        },
        response: { 200: syncSchema, ...problems },
      },
    }, async (req) => deps.syncs.update(tenant(req), (req.params as { id: string }).id, req.body as SyncPatchInput));

    app.delete('/syncs/:id', {
      config: { scope: 'syncs:write' },
      schema: { tags: ['syncs'], summary: 'Delete a sync with its runs, cursors, links and conflicts', params: idParams, response: { 204: { type: 'null' }, ...problems } },
    }, async (req, reply) => {
      await deps.syncs.remove(tenant(req), (req.params as { id: string }).id);
      return reply.code(204).send();
    });

    app.post('/syncs/:id/run', {
      config: { scope: 'syncs:write' },
      schema: {
        tags: ['syncs'], summary: 'Start a run: `incremental` (from the saved cursor) or `full` (everything, still skipping what did not change)', params: idParams,
        body: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, properties: { mode: { type: 'string', enum: ['full', 'incremental'] } } }] },
        response: { 202: runSchema, ...problems },
      },
    }, async (req, reply) => {
      const mode = (req.body as { mode?: 'full' | 'incremental' } | null)?.mode ?? 'incremental';
      return reply.code(202).send(await deps.syncs.run(tenant(req), (req.params as { id: string }).id, mode));
    });

    app.get('/syncs/:id/runs', {
      config: { scope: 'syncs:read' },
      schema: { tags: ['syncs'], summary: 'Runs of a sync, newest first', params: idParams, querystring: listQuery, response: { 200: { type: 'object', properties: { items: { type: 'array', items: runSchema }, nextCursor: { type: ['string', 'null'] } } }, ...problems } },
    }, async (req) => {
      const { id } = req.params as { id: string };
      await deps.syncs.get(tenant(req), id);
      return deps.store.forTenant(tenant(req)).syncRuns.list(id, req.query as { limit: number });
    });

    app.get('/syncs/:id/runs/:runId', {
      config: { scope: 'syncs:read' },
      schema: { tags: ['syncs'], summary: 'A run with its persisted progress and per-record failures', params: runParams, response: { 200: runSchema, ...problems } },
    }, async (req) => {
      const { id, runId } = req.params as { id: string; runId: string };
      return deps.syncs.getRun(tenant(req), id, runId);
    });

    app.get('/syncs/:id/runs/:runId/events', {
      config: { scope: 'syncs:read' },
      schema: {
        tags: ['syncs'], summary: 'Server-sent events: `progress` with the run each time it changes, then `end` when it completes or fails', params: runParams,
        description: 'Read from the persisted run, so any API process can serve any run.',
      },
    }, async (req, reply) => {
      const { id, runId } = req.params as { id: string; runId: string };
      const t = tenant(req);
      let run = await deps.syncs.getRun(t, id, runId);
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': req.id });
      const send = (event: string, data: unknown) => reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let open = true;
      req.raw.on('close', () => void (open = false));
      let last = -1;
      while (open) {
        if (run.updatedAt !== last) {
          send('progress', run);
          last = run.updatedAt;
        }
        if (finished(run)) {
          send('end', { status: run.status });
          break;
        }
        await new Promise((r) => setTimeout(r, deps.streamPollMs ?? 250));
        run = await deps.syncs.getRun(t, id, runId);
      }
      reply.raw.end();
    });
  };
}
