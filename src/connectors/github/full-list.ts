import type { ProviderRequest } from '../../http-client/index.ts';
import type { ChangePage, ConnectorContext, ListOptions, RecordChange } from '../types.ts';
import { decodeCursor, encodeCursor, fetchPage } from './paging.ts';

/**
 * A list GitHub cannot filter by change time (releases, workflow runs,
 * repositories): every read returns everything and the engine diffs by
 * hash. `items` picks the array out of the page body (`workflow_runs`,
 * `repositories` or the body itself).
 */
export async function fullListPage<T extends { id: string }>(
  ctx: ConnectorContext,
  opts: ListOptions,
  first: ProviderRequest,
  items: (body: any) => Array<Record<string, any>>,
  normalise: (raw: Record<string, any>) => T,
  modifiedAt: (record: T) => number,
): Promise<ChangePage<T>> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const page = await fetchPage<unknown>(ctx, first, cursor?.next ?? null, opts.pageSize);
  const records: RecordChange<T>[] = items(page.body).map((raw) => {
    const record = normalise(raw);
    return { id: record.id, record, modifiedAt: modifiedAt(record) };
  });
  if (page.next) return { records, deletedIds: [], nextCursor: encodeCursor({ next: page.next, since: null }) };
  return { records, deletedIds: [], nextCursor: null, watermark: null };
}
