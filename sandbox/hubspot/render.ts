import { OBJECT_TYPES, associationName, type ObjectType } from './object-types.ts';
import { associationsOf, type CrmRecord, type HubSpotState } from './store.ts';

/** A record as the v3 object APIs return it (SimplePublicObject / SimplePublicObjectWithAssociations). */
export interface RenderedRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
}

/** Query values arrive as `a,b` or as repeated keys (the SDK repeats them). */
export function listParam(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  const out = parts.map((p) => p.trim()).filter(Boolean);
  return out;
}

/**
 * Returns the named properties (unset ones as null) plus the three HubSpot
 * always adds; with no names, the type's default set.
 */
export function renderRecord(type: ObjectType, record: CrmRecord, properties?: string[]): RenderedRecord {
  const info = OBJECT_TYPES[type];
  const names = properties && properties.length > 0
    ? [...new Set([...properties, 'createdate', 'hs_object_id', info.lastModifiedProperty])]
    : info.defaultProperties;
  const props: Record<string, string | null> = {};
  for (const n of names) props[n] = record.properties[n] ?? null;
  return {
    id: record.id, properties: props, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived,
    ...(record.archivedAt ? { archivedAt: record.archivedAt } : {}),
  };
}

/** Adds the v3 `associations` block for the requested target types (omitted when there are none). */
export function withAssociations(state: HubSpotState, type: ObjectType, rendered: RenderedRecord, targets: ObjectType[]): RenderedRecord {
  const block: Record<string, { results: { id: string; type: string }[] }> = {};
  for (const to of targets) {
    const results = associationsOf(state, type, rendered.id, to).map((a) => ({ id: a.toId, type: associationName(type, to) }));
    if (results.length > 0) block[to] = { results };
  }
  return Object.keys(block).length > 0 ? { ...rendered, associations: block } : rendered;
}
