import type { Kysely } from 'kysely';
import type { DB, JobStatus, WebhookEventsTable } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

export interface NewWebhookEvent {
  id: string;
  tenantId: string;
  sourceId: string;
  provider: string;
  eventType: string;
  dedupKey: string;
  jobId: string;
  body: Buffer;
  headers: Record<string, string>;
  receivedAt: number;
}

export interface WebhookEventSummary {
  id: string;
  sourceId: string;
  provider: string;
  eventType: string;
  dedupKey: string;
  jobId: string;
  status: JobStatus;
  attempts: number;
  lastError: string | null;
  receivedAt: number;
  finishedAt: number | null;
}

export interface WebhookEvent extends WebhookEventSummary {
  body: Buffer;
  headers: Record<string, string>;
}

export interface EventFilter {
  sourceId?: string;
  provider?: string;
  eventType?: string;
  status?: JobStatus;
  since?: number;
  until?: number;
}

/** A new event as its table row (shared by the Kysely repo and the SQLite ingest writer). */
export function webhookEventRow(e: NewWebhookEvent): WebhookEventsTable {
  return {
    id: e.id, tenant_id: e.tenantId, source_id: e.sourceId, provider: e.provider, event_type: e.eventType,
    dedup_key: e.dedupKey, job_id: e.jobId, body: e.body, headers: JSON.stringify(e.headers), received_at: e.receivedAt,
  };
}

/** Ingest's side: batch dedup lookups and inserts, across tenants (one batch may hold many). */
export function webhookIngestRepo(db: Kysely<DB>) {
  return {
    /** Existing (source, dedup key) pairs among the given keys, with the stored event id. */
    async existing(keys: string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      if (keys.length === 0) return out;
      const rows = await db.selectFrom('webhook_events').select(['id', 'source_id', 'dedup_key']).where('dedup_key', 'in', keys).execute();
      for (const r of rows) out.set(`${r.source_id}\n${r.dedup_key}`, r.id);
      return out;
    },
    async insert(events: NewWebhookEvent[]): Promise<void> {
      if (events.length === 0) return;
      await db.insertInto('webhook_events').values(events.map(webhookEventRow)).execute();
    },
    /** The job handler's read: the event of a job, whatever its tenant (the job carries it). */
    async byId(tenantId: string, id: string): Promise<WebhookEvent | undefined> {
      return webhookEventsRepo(db, tenantId).get(id);
    },
  };
}

function summaryQuery(db: Kysely<DB>, tenantId: string) {
  return db.selectFrom('webhook_events as e')
    .innerJoin('jobs as j', 'j.id', 'e.job_id')
    .select(['e.id', 'e.source_id', 'e.provider', 'e.event_type', 'e.dedup_key', 'e.job_id', 'e.received_at',
      'j.status', 'j.attempts', 'j.last_error', 'j.finished_at'])
    .where('e.tenant_id', '=', tenantId);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

const toSummary = (r: SummaryRow): WebhookEventSummary => ({
  id: r.id, sourceId: r.source_id, provider: r.provider, eventType: r.event_type, dedupKey: r.dedup_key, jobId: r.job_id,
  status: r.status, attempts: r.attempts, lastError: r.last_error, receivedAt: r.received_at, finishedAt: r.finished_at,
});

export function webhookEventsRepo(db: Kysely<DB>, tenantId: string) {
  const filtered = (f: EventFilter) => {
    let q = summaryQuery(db, tenantId);
    if (f.sourceId) q = q.where('e.source_id', '=', f.sourceId);
    if (f.provider) q = q.where('e.provider', '=', f.provider);
    if (f.eventType) q = q.where('e.event_type', '=', f.eventType);
    if (f.status) q = q.where('j.status', '=', f.status);
    if (f.since !== undefined) q = q.where('e.received_at', '>=', f.since);
    if (f.until !== undefined) q = q.where('e.received_at', '<', f.until);
    return q;
  };
  return {
    async list(f: EventFilter & PageQuery = {}): Promise<Page<WebhookEventSummary>> {
      const limit = f.limit ?? 50;
      let q = filtered(f);
      if (f.cursor) q = q.where('e.id', '<', f.cursor);
      return page((await q.orderBy('e.id', 'desc').limit(limit + 1).execute()).map(toSummary), limit);
    },
    async get(id: string): Promise<WebhookEvent | undefined> {
      const r = await summaryQuery(db, tenantId).select(['e.body', 'e.headers']).where('e.id', '=', id).executeTakeFirst();
      return r && { ...toSummary(r), body: Buffer.from(r.body), headers: JSON.parse(r.headers) as Record<string, string> };
    },
    /** Job ids of the events matching a filter, for bulk replay (bounded). */
    async jobIds(f: EventFilter, max: number): Promise<string[]> {
      return (await filtered(f).orderBy('e.id').limit(max).execute()).map((r) => r.job_id);
    },
    async lastReceivedAt(): Promise<number | null> {
      const r = await db.selectFrom('webhook_events').select((eb) => eb.fn.max<number>('received_at').as('t')).where('tenant_id', '=', tenantId).executeTakeFirst();
      return r?.t === null || r?.t === undefined ? null : Number(r.t);
    },
  };
}
