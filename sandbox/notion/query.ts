import { validation } from './errors.ts';
import { pagePropertiesOf, plainText } from './properties.ts';
import type { DataSource, NotionState, Page, Property } from './store.ts';

/**
 * Data source / database queries: filters (timestamp, property, compound),
 * sorts, and cursor pagination. Notion's cursor is the id of the next page
 * in the ordered result, so paging re-runs the query and resumes there.
 */
export const MAX_PAGE_SIZE = 100;

type Filter = Record<string, any>;

function timestampValue(page: Page, which: string): string {
  return which === 'created_time' ? page.createdTime : page.lastEditedTime;
}

function compareDate(actual: string | null, cond: Record<string, unknown>): boolean {
  if (cond.is_empty === true) return actual === null;
  if (cond.is_not_empty === true) return actual !== null;
  if (actual === null) return false;
  const a = Date.parse(actual);
  const at = (k: string) => Date.parse(String(cond[k]));
  if ('equals' in cond) return a === at('equals');
  if ('after' in cond) return a > at('after');
  if ('on_or_after' in cond) return a >= at('on_or_after');
  if ('before' in cond) return a < at('before');
  if ('on_or_before' in cond) return a <= at('on_or_before');
  throw validation('body failed validation: date filter condition is not supported by the sandbox.');
}

function compareText(actual: string, cond: Record<string, unknown>): boolean {
  if ('equals' in cond) return actual === cond.equals;
  if ('does_not_equal' in cond) return actual !== cond.does_not_equal;
  if ('contains' in cond) return actual.includes(String(cond.contains));
  if ('does_not_contain' in cond) return !actual.includes(String(cond.does_not_contain));
  if ('starts_with' in cond) return actual.startsWith(String(cond.starts_with));
  if ('ends_with' in cond) return actual.endsWith(String(cond.ends_with));
  if (cond.is_empty === true) return actual === '';
  if (cond.is_not_empty === true) return actual !== '';
  throw validation('body failed validation: text filter condition is not supported by the sandbox.');
}

function compareNumber(actual: number | null, cond: Record<string, unknown>): boolean {
  if (cond.is_empty === true) return actual === null;
  if (cond.is_not_empty === true) return actual !== null;
  if (actual === null) return false;
  const n = (k: string) => Number(cond[k]);
  if ('equals' in cond) return actual === n('equals');
  if ('does_not_equal' in cond) return actual !== n('does_not_equal');
  if ('greater_than' in cond) return actual > n('greater_than');
  if ('greater_than_or_equal_to' in cond) return actual >= n('greater_than_or_equal_to');
  if ('less_than' in cond) return actual < n('less_than');
  if ('less_than_or_equal_to' in cond) return actual <= n('less_than_or_equal_to');
  throw validation('body failed validation: number filter condition is not supported by the sandbox.');
}

/** A property's value as text, for text-like filters and sorting. */
export function textValue(p: Property, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (p.type) {
    case 'title':
    case 'rich_text': return plainText(value);
    case 'select':
    case 'status': return (value as { name: string }).name;
    case 'date': return (value as { start: string }).start;
    case 'people': return (value as { id: string }[]).map((u) => u.id).join(',');
    default: return String(value);
  }
}

function matches(ds: DataSource, page: Page, f: Filter): boolean {
  if (Array.isArray(f.and)) return f.and.every((x: Filter) => matches(ds, page, x));
  if (Array.isArray(f.or)) return f.or.some((x: Filter) => matches(ds, page, x));
  if (f.timestamp === 'last_edited_time' || f.timestamp === 'created_time') {
    return compareDate(timestampValue(page, f.timestamp), f[f.timestamp] ?? {});
  }
  const p = ds.properties.find((x) => x.name === f.property || x.id === f.property);
  if (!p) throw validation(`Could not find property with name or id: ${String(f.property)}`);
  const value = page.values.get(p.id);
  const cond = (f[p.type] ?? f.rich_text ?? f.title) as Record<string, unknown> | undefined;
  if (!cond) throw validation(`body failed validation: filter for ${p.name} should use the "${p.type}" condition.`);
  switch (p.type) {
    case 'number': return compareNumber((value ?? null) as number | null, cond);
    case 'checkbox': return 'equals' in cond ? (value ?? false) === cond.equals : (value ?? false) !== cond.does_not_equal;
    case 'date': return compareDate(value ? (value as { start: string }).start : null, cond);
    case 'people': {
      const ids = ((value ?? []) as { id: string }[]).map((u) => u.id);
      if ('contains' in cond) return ids.includes(String(cond.contains));
      if ('does_not_contain' in cond) return !ids.includes(String(cond.does_not_contain));
      return cond.is_empty === true ? ids.length === 0 : ids.length > 0;
    }
    default: return compareText(textValue(p, value), cond);
  }
}

export interface QueryBody {
  filter?: Filter;
  sorts?: { property?: string; timestamp?: string; direction?: 'ascending' | 'descending' }[];
  start_cursor?: string;
  page_size?: number;
}

export function runQuery(state: NotionState, ds: DataSource, body: QueryBody): { results: Page[]; nextCursor: string | null } {
  const size = body.page_size ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw validation(`body failed validation: body.page_size should be ≤ \`${MAX_PAGE_SIZE}\`, instead was \`${String(body.page_size)}\`.`);
  }
  let pages = [...state.pages.values()].filter((p) => p.dataSourceId === ds.id && !p.inTrash);
  if (body.filter && Object.keys(body.filter).length) pages = pages.filter((p) => matches(ds, p, body.filter!));
  // Default order is newest-created first, ties broken by id so cursors are stable.
  const sorts = body.sorts?.length ? body.sorts : [{ timestamp: 'created_time', direction: 'descending' as const }];
  const keyOf = (page: Page, s: NonNullable<QueryBody['sorts']>[number]): string | number => {
    if (s.timestamp) return timestampValue(page, s.timestamp);
    const p = ds.properties.find((x) => x.name === s.property || x.id === s.property);
    if (!p) throw validation(`Could not find sort property with name or id: ${String(s.property)}`);
    const v = page.values.get(p.id);
    return p.type === 'number' ? (v as number | null) ?? Number.NEGATIVE_INFINITY : textValue(p, v);
  };
  pages.sort((a, b) => {
    for (const s of sorts) {
      const ka = keyOf(a, s);
      const kb = keyOf(b, s);
      if (ka !== kb) return (ka < kb ? -1 : 1) * (s.direction === 'descending' ? -1 : 1);
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  let start = 0;
  if (body.start_cursor) {
    start = pages.findIndex((p) => p.id === body.start_cursor);
    if (start < 0) throw validation(`start_cursor provided is invalid: ${body.start_cursor}`);
  }
  const results = pages.slice(start, start + size);
  const next = pages[start + size];
  return { results, nextCursor: next ? next.id : null };
}

/** A page object as the API returns it, for the caller's API version. */
export function pageObject(state: NotionState, page: Page, baseUrl: string, version: string): Record<string, unknown> {
  const ds = state.dataSources.get(page.dataSourceId)!;
  const parent = version >= '2025-09-03'
    ? { type: 'data_source_id', data_source_id: ds.id, database_id: page.databaseId }
    : { type: 'database_id', database_id: page.databaseId };
  return {
    object: 'page', id: page.id, created_time: page.createdTime, last_edited_time: page.lastEditedTime,
    created_by: { object: 'user', id: page.createdBy }, last_edited_by: { object: 'user', id: page.lastEditedBy },
    cover: null, icon: null, parent, archived: page.inTrash, in_trash: page.inTrash, is_locked: false,
    properties: pagePropertiesOf(state, ds, page.values),
    url: `${baseUrl}/${page.id.replace(/-/g, '')}`, public_url: null,
  };
}
