import type { ChangePage, ConnectorContext, ListOptions, RecordChange } from '../types.ts';
import { eventsPage } from './events.ts';
import { decodeCursor, encodeCursor, isoOf, MAX_LIMIT, sinceSeconds, type StripeList } from './shared.ts';

/**
 * Customers read. Stripe customers carry no "updated" time and the list
 * cannot filter by one, so an incremental read goes through the events
 * feed: `customer.*` events since the watermark, the newest per customer
 * (its `data.object` is the customer as of that event), and
 * `customer.deleted` as deleted ids. That read gathers every event page
 * before answering, so one customer edited twice never yields an older
 * snapshot after a newer one. Events are kept 30 days, so a watermark older
 * than that falls back to a full read. A full read lists `/v1/customers`
 * and takes its watermark from the newest event at the start, so edits made
 * while it runs are read again next time.
 */
export interface RawCustomer {
  id: string;
  object: 'customer';
  deleted?: boolean;
  created: number;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  balance: number;
  currency: string | null;
  metadata: Record<string, string>;
}

export interface CustomerRecord {
  id: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  balance: number;
  currency: string | null;
  metadata: Record<string, string>;
  createdAt: string;
}

const EVENT_RETENTION_MS = 29 * 86_400_000;

export function toCustomer(c: RawCustomer): CustomerRecord {
  return {
    id: c.id, email: c.email ?? null, name: c.name ?? null, phone: c.phone ?? null, description: c.description ?? null,
    balance: c.balance ?? 0, currency: c.currency ?? null, metadata: { ...(c.metadata ?? {}) }, createdAt: isoOf(c.created),
  };
}

interface FullCursor { after: string; watermark: string | null }

async function newestEventTime(ctx: ConnectorContext): Promise<string | null> {
  const page = await eventsPage(ctx, { pageSize: 1 });
  return page.events[0] ? isoOf(page.events[0].created) : null;
}

async function fullRead(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<CustomerRecord>> {
  const cursor = opts.cursor ? decodeCursor<FullCursor>(opts.cursor) : undefined;
  const watermark = cursor ? cursor.watermark : await newestEventTime(ctx);
  const res = await ctx.client.json<StripeList<RawCustomer>>({
    method: 'GET', path: '/v1/customers', signal: ctx.signal,
    query: { limit: Math.min(MAX_LIMIT, Math.max(1, opts.pageSize ?? MAX_LIMIT)), ...(cursor ? { starting_after: cursor.after } : {}) },
  });
  // Without an updated time, creation is the best "modified" Stripe gives on a list.
  const records = res.data.map((c) => ({ id: c.id, record: toCustomer(c), modifiedAt: c.created * 1000 }));
  const last = res.data.at(-1);
  if (res.has_more && last) return { records, deletedIds: [], nextCursor: encodeCursor({ after: last.id, watermark } satisfies FullCursor) };
  return { records, deletedIds: [], nextCursor: null, watermark };
}

async function fromEvents(ctx: ConnectorContext, since: string, pageSize: number | undefined): Promise<ChangePage<CustomerRecord>> {
  const newest = new Map<string, { deleted: boolean; customer: RawCustomer; at: number }>();
  let cursor: string | null = null;
  let watermark: string | null;
  do {
    const page = await eventsPage(ctx, { since, cursor, type: 'customer.*', ...(pageSize ? { pageSize } : {}) });
    for (const e of page.events) {
      const obj = e.data.object as unknown as RawCustomer;
      // customer.subscription.*, customer.source.* … name other objects.
      if (obj.object !== 'customer' || newest.has(obj.id)) continue;
      newest.set(obj.id, { deleted: e.type === 'customer.deleted', customer: obj, at: e.created * 1000 });
    }
    cursor = page.nextCursor;
    watermark = page.watermark;
  } while (cursor);
  const records: RecordChange<CustomerRecord>[] = [];
  const deletedIds: string[] = [];
  for (const [id, n] of newest) {
    if (n.deleted) deletedIds.push(id);
    else records.push({ id, record: toCustomer(n.customer), modifiedAt: n.at });
  }
  return { records, deletedIds, nextCursor: null, watermark };
}

export async function listCustomers(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<CustomerRecord>> {
  const since = opts.since ?? null;
  if (opts.cursor || !since || sinceSeconds(since) * 1000 < Date.now() - EVENT_RETENTION_MS) return fullRead(ctx, opts.cursor ? opts : { ...opts, cursor: null });
  return fromEvents(ctx, since, opts.pageSize);
}

export async function getCustomer(ctx: ConnectorContext, id: string): Promise<RecordChange<CustomerRecord> | undefined> {
  const res = await ctx.client.request({ method: 'GET', path: `/v1/customers/${encodeURIComponent(id)}`, signal: ctx.signal });
  if (res.status === 404) return undefined;
  ctx.client.assertOk({ method: 'GET', path: `/v1/customers/${encodeURIComponent(id)}` }, res);
  const c = res.json<RawCustomer>();
  if (c.deleted) return undefined;
  return { id: c.id, record: toCustomer(c), modifiedAt: c.created * 1000 };
}
