import type { PropertyDefinition } from './property-catalog.ts';

/**
 * The CRM search language: filter groups are ORed, the filters inside a group
 * ANDed. Values compare by the property's type: numbers as numbers, dates as
 * epoch ms (HubSpot takes ms strings or ISO dates), everything else as
 * case-insensitive text. Pure, so it can be property-tested.
 */
export interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}

export interface FilterGroup {
  filters: Filter[];
}

export const OPERATORS = [
  'EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN',
  'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN',
] as const;

export const SEARCH_LIMITS = { maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18, maxSorts: 1, maxPage: 200, maxResults: 10_000, maxBodyChars: 3_000 };

type Kind = 'number' | 'date' | 'text';

export function kindOf(def: PropertyDefinition | undefined): Kind {
  if (!def) return 'text';
  if (def.type === 'number') return 'number';
  if (def.type === 'date' || def.type === 'datetime') return 'date';
  return 'text';
}

/** Turns a stored or filter value into something comparable; undefined when it has none. */
export function comparable(kind: Kind, raw: unknown): number | string | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  const s = String(raw);
  if (kind === 'number') {
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }
  if (kind === 'date') {
    const n = /^-?\d+$/.test(s) ? Number(s) : Date.parse(s);
    return Number.isFinite(n) ? n : undefined;
  }
  return s.toLowerCase();
}

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `*` is a wildcard; a token matches when the value or any of its whitespace-separated words matches. */
function containsToken(stored: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.toLowerCase().split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const text = stored.toLowerCase();
  return re.test(text) || text.split(/\s+/).some((w) => re.test(w));
}

export function matchesFilter(stored: string | null | undefined, def: PropertyDefinition | undefined, f: Filter): boolean {
  const kind = kindOf(def);
  const have = comparable(kind, stored);
  switch (f.operator) {
    case 'HAS_PROPERTY': return have !== undefined;
    case 'NOT_HAS_PROPERTY': return have === undefined;
    case 'IN':
    case 'NOT_IN': {
      const inSet = have !== undefined && (f.values ?? []).some((v) => comparable(kind, v) === have);
      return f.operator === 'IN' ? inSet : !inSet;
    }
    case 'CONTAINS_TOKEN': return have !== undefined && containsToken(String(stored), String(f.value ?? ''));
    case 'NOT_CONTAINS_TOKEN': return have === undefined || !containsToken(String(stored), String(f.value ?? ''));
  }
  const want = comparable(kind, f.value);
  if (f.operator === 'NEQ') return have === undefined || want === undefined || compare(have, want) !== 0;
  if (have === undefined || want === undefined) return false;
  const c = compare(have, want);
  switch (f.operator) {
    case 'EQ': return c === 0;
    case 'LT': return c < 0;
    case 'LTE': return c <= 0;
    case 'GT': return c > 0;
    case 'GTE': return c >= 0;
    case 'BETWEEN': {
      const high = comparable(kind, f.highValue);
      return high !== undefined && c >= 0 && compare(have, high) <= 0;
    }
    default: return false;
  }
}

export function matchesGroups(props: Record<string, string | null>, defs: Map<string, PropertyDefinition>, groups: FilterGroup[]): boolean {
  if (groups.length === 0) return true;
  return groups.some((g) => g.filters.every((f) => matchesFilter(props[f.propertyName], defs.get(f.propertyName), f)));
}

/** Returns a message for the first limit the request breaks, as HubSpot answers 400 on these. */
export function checkSearchRequest(groups: unknown, sorts: unknown, limit: number, offset: number): string | undefined {
  if (!Array.isArray(groups)) return 'filterGroups must be an array';
  if (groups.length > SEARCH_LIMITS.maxGroups) return `Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.maxGroups}.`;
  let total = 0;
  for (const g of groups as FilterGroup[]) {
    const filters = Array.isArray(g?.filters) ? g.filters : [];
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) return `Too many filters in a group: ${filters.length}. The maximum is ${SEARCH_LIMITS.maxFiltersPerGroup}.`;
    for (const f of filters) {
      if (!(OPERATORS as readonly string[]).includes(f.operator)) return `Unknown operator: ${String(f.operator)}`;
      if (f.operator === 'BETWEEN' && f.highValue === undefined) return 'BETWEEN needs a highValue';
    }
    total += filters.length;
  }
  if (total > SEARCH_LIMITS.maxFilters) return `Too many filters: ${total}. The maximum is ${SEARCH_LIMITS.maxFilters}.`;
  if (Array.isArray(sorts) && sorts.length > SEARCH_LIMITS.maxSorts) return 'Only one sort is allowed.';
  if (limit > SEARCH_LIMITS.maxPage) return `limit must be less than or equal to ${SEARCH_LIMITS.maxPage}`;
  if (offset >= SEARCH_LIMITS.maxResults) return `Paging past ${SEARCH_LIMITS.maxResults} results is not supported.`;
  return undefined;
}

/** Sorts come as `{propertyName, direction}` objects (docs) or strings (the SDK's typing; `-name` = descending). */
export function parseSort(raw: unknown): { propertyName: string; descending: boolean } | undefined {
  if (typeof raw === 'string') return raw.startsWith('-') ? { propertyName: raw.slice(1), descending: true } : { propertyName: raw, descending: false };
  if (raw && typeof raw === 'object' && 'propertyName' in raw) {
    const s = raw as { propertyName: string; direction?: string };
    return { propertyName: s.propertyName, descending: s.direction === 'DESCENDING' };
  }
  return undefined;
}

export function sortValue(kind: Kind, stored: string | null | undefined): number | string | undefined {
  return comparable(kind, stored);
}

export function compareNullsLast(a: number | string | undefined, b: number | string | undefined, descending: boolean): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return descending ? compare(b, a) : compare(a, b);
}
