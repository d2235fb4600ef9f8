import { z } from 'zod';

/**
 * Pagination styles as data. Each preset's defaults are those of the provider
 * it is named after in the comments, so a catalog entry usually says only
 * `pagination: { preset: link }`; every name can be overridden for a provider
 * that uses the same style with other field names.
 */

const where = z.enum(['query', 'body']).optional();

export const paginationSchema = z.discriminatedUnion('preset', [
  /** HubSpot: `?after=` in, `paging.next.after` out; absent means last page. */
  z.strictObject({
    preset: z.literal('cursor'),
    cursorParam: z.string().default('after'),
    cursorPath: z.string().default('paging.next.after'),
    itemsPath: z.string().default('results'),
    limitParam: z.string().default('limit'),
    in: where,
  }),
  /** WordPress: `page`/`per_page`, `X-WP-TotalPages` says how many. */
  z.strictObject({
    preset: z.literal('offset'),
    pageParam: z.string().default('page'),
    perPageParam: z.string().default('per_page'),
    totalPagesHeader: z.string().default('x-wp-totalpages'),
    itemsPath: z.string().default(''),
    firstPage: z.number().int().default(1),
  }),
  /** GitHub: follow `Link: <…>; rel="next"`. */
  z.strictObject({
    preset: z.literal('link'),
    perPageParam: z.string().default('per_page'),
    itemsPath: z.string().default(''),
  }),
  /** Salesforce: GET the `nextRecordsUrl` path until `done`. */
  z.strictObject({
    preset: z.literal('next-url'),
    nextPath: z.string().default('nextRecordsUrl'),
    itemsPath: z.string().default('records'),
  }),
  /** Google: `pageToken` in, `nextPageToken` out (some APIs: `page_token` / `next_page_token`). */
  z.strictObject({
    preset: z.literal('page-token'),
    tokenParam: z.string().default('pageToken'),
    nextPath: z.string().default('nextPageToken'),
    itemsPath: z.string().default('items'),
    limitParam: z.string().default('pageSize'),
    in: where,
  }),
  /** Notion: `start_cursor` in, `next_cursor` + `has_more` out. */
  z.strictObject({
    preset: z.literal('has-more-cursor'),
    cursorParam: z.string().default('start_cursor'),
    nextPath: z.string().default('next_cursor'),
    hasMorePath: z.string().default('has_more'),
    itemsPath: z.string().default('results'),
    limitParam: z.string().default('page_size'),
    in: where,
  }),
  /** Stripe: `starting_after=<last id>` while `has_more`. */
  z.strictObject({
    preset: z.literal('starting-after'),
    cursorParam: z.string().default('starting_after'),
    idField: z.string().default('id'),
    hasMorePath: z.string().default('has_more'),
    itemsPath: z.string().default('data'),
    limitParam: z.string().default('limit'),
  }),
  /** Monday GraphQL: the first query's `items_page { cursor items }`, then root `next_items_page(cursor:)`. */
  z.strictObject({
    preset: z.literal('monday-items-page'),
    firstPath: z.string().default('data.boards.0.items_page'),
    nextPath: z.string().default('data.next_items_page'),
  }),
]);

export type PaginationInput = z.input<typeof paginationSchema>;
export type Pagination = z.output<typeof paginationSchema>;

/** Reads `a.b.0.c` from parsed JSON; an empty path is the value itself. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
