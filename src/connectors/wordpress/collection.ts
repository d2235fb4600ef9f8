import { ProviderError } from '../../http-client/index.ts';
import type { ChangePage, ConnectorContext, DeleteResult, ListOptions, RecordChange, UpsertInput, UpsertResult } from '../types.ts';
import { failure, getOne, getPage } from './rest.ts';

/**
 * The collections WordPress cannot filter by modification time (users,
 * terms; media is read the same way): full reads in id order, page by
 * page, for the engine to diff by hash. Writes are one call per record
 * (the fake has no /batch/v1) and deletes are always `force=true`, because
 * these collections have no trash.
 */
export interface CollectionSpec<R, T extends { id: string }> {
  base: string;
  toRecord: (raw: R) => T;
  modifiedAt: (record: T) => number;
  /** Request body for a create or an update, from a record. */
  bodyOf: (record: Record<string, unknown>) => Record<string, unknown>;
  /** Finds an existing object by a match field; undefined when the field is not supported. */
  find?: (ctx: ConnectorContext, field: string, value: unknown) => Promise<string | undefined>;
  /** Extra query for deletes (users need `reassign`). */
  deleteQuery?: (ctx: ConnectorContext) => Record<string, string>;
}

export interface CollectionOps<T> {
  list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<T>>;
  get(ctx: ConnectorContext, id: string): Promise<RecordChange<T> | undefined>;
  upsert(ctx: ConnectorContext, inputs: UpsertInput[]): Promise<UpsertResult[]>;
  delete(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]>;
}

export function collectionOps<R, T extends { id: string }>(spec: CollectionSpec<R, T>): CollectionOps<T> {
  const toChange = (raw: R): RecordChange<T> => {
    const record = spec.toRecord(raw);
    return { id: record.id, record, modifiedAt: spec.modifiedAt(record) };
  };
  return {
    async list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<T>> {
      const page = opts.cursor ? Number(opts.cursor) : 1;
      const res = await getPage<R>(ctx, `/wp/v2/${spec.base}`, { context: 'edit', orderby: 'id', order: 'asc' }, page, opts.pageSize ?? 100);
      const records = res.items.map(toChange);
      return page < res.totalPages ? { records, deletedIds: [], nextCursor: String(page + 1) } : { records, deletedIds: [], nextCursor: null, watermark: null };
    },
    async get(ctx: ConnectorContext, id: string): Promise<RecordChange<T> | undefined> {
      const raw = await getOne<R>(ctx, `/wp/v2/${spec.base}/${encodeURIComponent(id)}`, { context: 'edit' });
      return raw ? toChange(raw) : undefined;
    },
    async upsert(ctx: ConnectorContext, inputs: UpsertInput[]): Promise<UpsertResult[]> {
      const out: UpsertResult[] = [];
      for (const input of inputs) {
        try {
          let id = input.id;
          if (!id && input.matchField) {
            const value = input.record[input.matchField];
            if (!spec.find) throw new Error(`wordpress ${spec.base}: matchField is not supported`);
            id = await spec.find(ctx, input.matchField, value);
          }
          const body = spec.bodyOf(input.record);
          const raw = id
            ? await ctx.client.json<R>({ method: 'POST', path: `/wp/v2/${spec.base}/${encodeURIComponent(id)}`, body, idempotent: true, signal: ctx.signal })
            : await ctx.client.json<R>({ method: 'POST', path: `/wp/v2/${spec.base}`, body, signal: ctx.signal });
          const record = spec.toRecord(raw);
          out.push({ ok: true, id: record.id, created: !id, modifiedAt: spec.modifiedAt(record) });
        } catch (err) {
          out.push(failure(err));
        }
      }
      return out;
    },
    async delete(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]> {
      const out: DeleteResult[] = [];
      for (const id of ids) {
        try {
          await ctx.client.json({ method: 'DELETE', path: `/wp/v2/${spec.base}/${encodeURIComponent(id)}`, query: { force: 'true', ...spec.deleteQuery?.(ctx) }, signal: ctx.signal });
          out.push({ id, ok: true });
        } catch (err) {
          if (err instanceof ProviderError && err.status === 404) out.push({ id, ok: true });
          else out.push({ id, ...failure(err) });
        }
      }
      return out;
    },
  };
}
