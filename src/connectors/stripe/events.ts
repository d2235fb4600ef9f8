import { ProviderError } from '../../http-client/index.ts';
import type { ChangePage, ConnectorContext, ListOptions, ModelSpec, RecordChange } from '../types.ts';
import { decodeCursor, encodeCursor, isoOf, MAX_LIMIT, sinceSeconds, type StripeEvent, type StripeList } from './shared.ts';

/**
 * The events feed, read-only. Stripe lists newest first and pages with
 * `starting_after` (the last id of the page). An incremental read asks for
 * `created[gte]` the watermark: `created` has whole-second resolution, so
 * `gt` would lose an event written later in the same second as the newest
 * one already read; the few repeats `gte` brings are identical and the
 * engine's hash check skips them. The watermark is the newest `created`
 * seen, which the first page holds; it rides in the cursor to the last page.
 * Stripe keeps events for 30 days only: an older watermark misses events.
 */
export interface EventRecord {
  id: string;
  type: string;
  createdAt: string;
  apiVersion: string | null;
  objectType: string | null;
  objectId: string | null;
  object: Record<string, unknown>;
  previousAttributes: Record<string, unknown> | null;
  requestId: string | null;
  idempotencyKey: string | null;
}

export function toEventChange(e: StripeEvent): RecordChange<EventRecord> {
  return {
    id: e.id,
    modifiedAt: e.created * 1000,
    record: {
      id: e.id, type: e.type, createdAt: isoOf(e.created), apiVersion: e.api_version ?? null,
      objectType: typeof e.data.object.object === 'string' ? e.data.object.object : null,
      objectId: typeof e.data.object.id === 'string' ? e.data.object.id : null,
      object: e.data.object, previousAttributes: e.data.previous_attributes ?? null,
      requestId: e.request?.id ?? null, idempotencyKey: e.request?.idempotency_key ?? null,
    },
  };
}

interface Cursor { after: string; newest: number | null }

/** One page of `/v1/events`, with an optional type filter (`customer.*`). */
export async function eventsPage(ctx: ConnectorContext, opts: { since?: string | null; cursor?: string | null; pageSize?: number; type?: string }) {
  const cursor = opts.cursor ? decodeCursor<Cursor>(opts.cursor) : undefined;
  const res = await ctx.client.json<StripeList<StripeEvent>>({
    method: 'GET', path: '/v1/events', signal: ctx.signal,
    query: {
      limit: Math.min(MAX_LIMIT, Math.max(1, opts.pageSize ?? MAX_LIMIT)),
      ...(opts.since ? { 'created[gte]': sinceSeconds(opts.since) } : {}),
      ...(opts.type ? { type: opts.type } : {}),
      ...(cursor ? { starting_after: cursor.after } : {}),
    },
  });
  let newest = cursor?.newest ?? null;
  for (const e of res.data) if (newest === null || e.created > newest) newest = e.created;
  const last = res.data.at(-1);
  const nextCursor = res.has_more && last ? encodeCursor({ after: last.id, newest } satisfies Cursor) : null;
  // With nothing new, the watermark stays where it was rather than resetting to a full read.
  const watermark = newest !== null ? isoOf(newest) : opts.since ?? null;
  return { events: res.data, nextCursor, watermark };
}

async function list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<EventRecord>> {
  const page = await eventsPage(ctx, opts);
  return { records: page.events.map(toEventChange), deletedIds: [], nextCursor: page.nextCursor, ...(page.nextCursor ? {} : { watermark: page.watermark }) };
}

async function get(ctx: ConnectorContext, id: string): Promise<RecordChange<EventRecord> | undefined> {
  try {
    return toEventChange(await ctx.client.json<StripeEvent>({ method: 'GET', path: `/v1/events/${encodeURIComponent(id)}`, signal: ctx.signal }));
  } catch (err) {
    if (err instanceof ProviderError && err.status === 404) return undefined;
    throw err;
  }
}

export const events: ModelSpec<EventRecord> = {
  name: 'events',
  description: 'The Stripe events feed (last 30 days), read-only; incremental on created.',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Stripe event',
    type: 'object',
    required: ['id', 'type', 'createdAt', 'object'],
    properties: {
      id: { type: 'string', description: 'evt_…' },
      type: { type: 'string', description: 'e.g. customer.updated' },
      createdAt: { type: 'string', format: 'date-time' },
      apiVersion: { type: ['string', 'null'] },
      objectType: { type: ['string', 'null'], description: 'data.object.object, e.g. customer' },
      objectId: { type: ['string', 'null'] },
      object: { type: 'object', description: 'data.object as rendered with the event\'s API version' },
      previousAttributes: { type: ['object', 'null'] },
      requestId: { type: ['string', 'null'] },
      idempotencyKey: { type: ['string', 'null'] },
    },
  },
  batchLimit: 1,
  incremental: true,
  list,
  get,
};
