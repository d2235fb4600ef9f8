import { RateWindow } from '../core/rate-window.ts';
import { OBJECT_TYPES, READ_ONLY_PROPERTIES, type ObjectType } from './object-types.ts';
import { builtInProperties, type PropertyDefinition } from './property-catalog.ts';
import type { PropertyValidation } from './errors.ts';

/**
 * The portal's CRM: records per object type, property definitions,
 * associations, and the budgets the rate limiter spends. Every write goes
 * through here so `createdAt`, `updatedAt`, `hs_object_id` and the
 * last-modified property stay right, and each write reports its changes so the
 * caller can fire webhooks.
 */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export type Change =
  | { kind: 'creation' | 'deletion'; type: ObjectType; id: string }
  | { kind: 'propertyChange'; type: ObjectType; id: string; propertyName: string; propertyValue: string };

export interface HubSpotState {
  nextId: number;
  records: Record<ObjectType, Map<string, CrmRecord>>;
  /** Ids in creation order, which is also ascending numeric order: list pages walk this. */
  order: Record<ObjectType, string[]>;
  properties: Record<ObjectType, Map<string, PropertyDefinition>>;
  /** `type:id` → `toType:toId` → association type ids. Both directions are stored. */
  associations: Map<string, Map<string, Set<number>>>;
  nextEventId: number;
  burst: RateWindow;
  search: RateWindow;
  daily: Map<string, { day: string; count: number }>;
}

export function createState(): HubSpotState {
  return {
    nextId: 1001,
    records: { contacts: new Map(), companies: new Map(), deals: new Map() },
    order: { contacts: [], companies: [], deals: [] },
    properties: builtInProperties(),
    associations: new Map(),
    nextEventId: 1,
    burst: new RateWindow(100, 10_000),
    search: new RateWindow(5, 1_000),
    daily: new Map(),
  };
}

export class ConflictError extends Error {
  readonly existingId: string;
  constructor(message: string, existingId: string) {
    super(message);
    this.existingId = existingId;
  }
}

/** HubSpot stores every value as a string; datetimes given as epoch ms come back as ISO. */
function normalize(def: PropertyDefinition, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const s = typeof value === 'string' ? value : String(value);
  if ((def.type === 'datetime' || def.type === 'date') && /^\d+$/.test(s)) return new Date(Number(s)).toISOString();
  return s;
}

export function validateProperties(state: HubSpotState, type: ObjectType, props: Record<string, unknown>): PropertyValidation[] {
  const failures: PropertyValidation[] = [];
  for (const name of Object.keys(props)) {
    const def = state.properties[type].get(name);
    if (!def || def.archived) {
      const message = `Property "${name}" does not exist`;
      failures.push({ isValid: false, message, error: 'PROPERTY_DOESNT_EXIST', name, localizedErrorMessage: message });
    } else if (READ_ONLY_PROPERTIES.has(name) || def.modificationMetadata.readOnlyValue) {
      const message = `${name} is a read only property; its value cannot be set.`;
      failures.push({ isValid: false, message, error: 'READ_ONLY_VALUE', name, localizedErrorMessage: message });
    }
  }
  return failures;
}

/** Properties whose values must be unique in the portal (contact email, custom unique ones). */
export function uniqueProperties(state: HubSpotState, type: ObjectType): string[] {
  const out = [...state.properties[type].values()].filter((d) => d.hasUniqueValue).map((d) => d.name);
  const key = OBJECT_TYPES[type].naturalKey;
  return key ? [key, ...out] : out;
}

export function findBy(state: HubSpotState, type: ObjectType, property: string, value: string): CrmRecord | undefined {
  const wanted = value.toLowerCase();
  for (const r of state.records[type].values()) {
    if (!r.archived && r.properties[property]?.toLowerCase() === wanted) return r;
  }
  return undefined;
}

export function checkUnique(state: HubSpotState, type: ObjectType, props: Record<string, string | null>, selfId?: string): void {
  for (const name of uniqueProperties(state, type)) {
    const v = props[name];
    if (!v) continue;
    const other = findBy(state, type, name, v);
    if (other && other.id !== selfId) {
      const what = OBJECT_TYPES[type].singular;
      throw new ConflictError(`${what.charAt(0).toUpperCase()}${what.slice(1)} already exists. Existing ID: ${other.id}`, other.id);
    }
  }
}

function stamp(state: HubSpotState, type: ObjectType, record: CrmRecord, iso: string): void {
  record.updatedAt = iso;
  record.properties[OBJECT_TYPES[type].lastModifiedProperty] = iso;
}

/**
 * Caller validates first; throws ConflictError on a duplicate unique value.
 * Seeding passes `trustedUnique` to skip the scan that would make 10k inserts quadratic.
 */
export function createRecord(
  state: HubSpotState, type: ObjectType, input: Record<string, unknown>, now = new Date(), trustedUnique = false,
): { record: CrmRecord; changes: Change[] } {
  const props: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(input)) {
    const def = state.properties[type].get(k);
    if (def) props[k] = normalize(def, v);
  }
  if (!trustedUnique) checkUnique(state, type, props);
  const id = String(state.nextId++);
  const iso = now.toISOString();
  const record: CrmRecord = { id, properties: { ...props, hs_object_id: id, createdate: iso }, createdAt: iso, updatedAt: iso, archived: false };
  stamp(state, type, record, iso);
  state.records[type].set(id, record);
  state.order[type].push(id);
  const changes: Change[] = [{ kind: 'creation', type, id }];
  for (const [propertyName, v] of Object.entries(props)) {
    if (v !== null) changes.push({ kind: 'propertyChange', type, id, propertyName, propertyValue: v });
  }
  return { record, changes };
}

export function updateRecord(state: HubSpotState, type: ObjectType, record: CrmRecord, input: Record<string, unknown>, now = new Date()): Change[] {
  const next: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(input)) {
    const def = state.properties[type].get(k);
    if (def) next[k] = normalize(def, v);
  }
  checkUnique(state, type, next, record.id);
  const changes: Change[] = [];
  for (const [propertyName, v] of Object.entries(next)) {
    if ((record.properties[propertyName] ?? null) === v) continue;
    record.properties[propertyName] = v;
    changes.push({ kind: 'propertyChange', type, id: record.id, propertyName, propertyValue: v ?? '' });
  }
  // HubSpot bumps the modified time on every accepted write, changed or not.
  stamp(state, type, record, now.toISOString());
  return changes;
}

export function archiveRecord(state: HubSpotState, type: ObjectType, record: CrmRecord, now = new Date()): Change[] {
  if (record.archived) return [];
  record.archived = true;
  record.archivedAt = now.toISOString();
  stamp(state, type, record, record.archivedAt);
  const key = `${type}:${record.id}`;
  for (const other of state.associations.get(key)?.keys() ?? []) state.associations.get(other)?.delete(key);
  state.associations.delete(key);
  return [{ kind: 'deletion', type, id: record.id }];
}

export function liveRecord(state: HubSpotState, type: ObjectType, id: string): CrmRecord | undefined {
  const r = state.records[type].get(id);
  return r && !r.archived ? r : undefined;
}

export function associate(state: HubSpotState, from: ObjectType, fromId: string, to: ObjectType, toId: string, typeIds: number[], reverseTypeIds: number[]): void {
  const link = (a: string, b: string, ids: number[]) => {
    const m = state.associations.get(a) ?? new Map<string, Set<number>>();
    const set = m.get(b) ?? new Set<number>();
    for (const t of ids) set.add(t);
    m.set(b, set);
    state.associations.set(a, m);
  };
  link(`${from}:${fromId}`, `${to}:${toId}`, typeIds);
  link(`${to}:${toId}`, `${from}:${fromId}`, reverseTypeIds);
}

export function dissociate(state: HubSpotState, from: ObjectType, fromId: string, to: ObjectType, toId: string): void {
  state.associations.get(`${from}:${fromId}`)?.delete(`${to}:${toId}`);
  state.associations.get(`${to}:${toId}`)?.delete(`${from}:${fromId}`);
}

export function associationsOf(state: HubSpotState, from: ObjectType, fromId: string, to: ObjectType): { toId: string; typeIds: number[] }[] {
  const out: { toId: string; typeIds: number[] }[] = [];
  for (const [key, ids] of state.associations.get(`${from}:${fromId}`) ?? []) {
    const [t, id] = key.split(':');
    if (t === to && id) out.push({ toId: id, typeIds: [...ids] });
  }
  return out.sort((a, b) => Number(a.toId) - Number(b.toId));
}
