import type { RecordChange } from '../types.ts';
import type { ObjectInfo } from './object-types.ts';

/**
 * A CRM object as the v3 APIs return it, and the normalised record. The
 * normalised record keeps HubSpot's own envelope (`properties` holds every
 * property as HubSpot's string or null), so a mapping written against the
 * raw API (`properties.email`) reads it unchanged, and custom properties can
 * never collide with the envelope's fields.
 */
export interface RawObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived?: boolean;
  archivedAt?: string;
}

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export function toRecord(raw: RawObject): HubSpotRecord {
  return { id: String(raw.id), properties: { ...raw.properties }, createdAt: raw.createdAt, updatedAt: raw.updatedAt, archived: raw.archived === true };
}

/** The property HubSpot bumps on every write is the authority; `updatedAt` mirrors it. */
export function modifiedAtOf(info: ObjectInfo, raw: RawObject): number {
  const fromProperty = Date.parse(raw.properties[info.lastModified] ?? '');
  return Number.isFinite(fromProperty) ? fromProperty : Date.parse(raw.updatedAt);
}

export function toChange(info: ObjectInfo, raw: RawObject): RecordChange<HubSpotRecord> {
  return { id: String(raw.id), record: toRecord(raw), modifiedAt: modifiedAtOf(info, raw) };
}

/** The JSON schema of a normalised record of one object type. */
export function schemaOf(info: ObjectInfo): Record<string, unknown> {
  const nullableString = { type: ['string', 'null'] };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `HubSpot ${info.singular}`,
    type: 'object',
    required: ['id', 'properties', 'createdAt', 'updatedAt', 'archived'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', description: 'hs_object_id' },
      properties: {
        type: 'object',
        description: 'Every property of the portal (built-in and custom, discovered from the properties API) as HubSpot returns it: a string, or null when unset. Datetimes are ISO strings.',
        properties: Object.fromEntries(info.documented.map((p) => [p, nullableString])),
        additionalProperties: nullableString,
      },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time', description: `mirrors ${info.lastModified}` },
      archived: { type: 'boolean' },
    },
  };
}
