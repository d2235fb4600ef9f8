import type { RecordChange } from '../types.ts';

/**
 * A page as the API returns it, and the normalised record. Properties keep
 * their Notion names under `properties` (so a property named "id" cannot
 * collide with the envelope) and become plain values: text as a string,
 * select/status as the option name, people as user ids, a date as its start
 * (or an ISO 8601 interval `start/end` when it has an end).
 */
export interface RawPage {
  id: string;
  url?: string;
  created_time: string;
  last_edited_time: string;
  in_trash?: boolean;
  archived?: boolean;
  parent?: { database_id?: string; data_source_id?: string };
  properties: Record<string, RawProperty>;
}

export interface RawProperty { id?: string; type: string; [value: string]: unknown }

export type Plain = string | number | boolean | null | string[];

export interface NotionRecord {
  id: string;
  url: string | null;
  createdAt: string;
  updatedAt: string;
  inTrash: boolean;
  properties: Record<string, Plain>;
}

const plainText = (v: unknown): string =>
  Array.isArray(v) ? v.map((r) => (r as { plain_text?: string; text?: { content?: string } }).plain_text ?? (r as { text?: { content?: string } }).text?.content ?? '').join('') : '';

export function plainValue(p: RawProperty): Plain {
  const v = p[p.type];
  switch (p.type) {
    case 'title':
    case 'rich_text':
      return plainText(v);
    case 'email':
    case 'phone_number':
    case 'url':
      return typeof v === 'string' ? v : null;
    case 'select':
    case 'status':
      return (v as { name?: string } | null)?.name ?? null;
    case 'multi_select':
      return Array.isArray(v) ? v.map((o) => String((o as { name?: string }).name)) : [];
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'checkbox':
      return v === true;
    case 'date': {
      const d = v as { start?: string; end?: string | null } | null;
      if (!d?.start) return null;
      return d.end ? `${d.start}/${d.end}` : d.start;
    }
    case 'people':
      return Array.isArray(v) ? v.map((u) => String((u as { id: string }).id)) : [];
    case 'created_time':
    case 'last_edited_time':
      return typeof v === 'string' ? v : null;
    default:
      // Types this model does not flatten (relations, formulas, files …) come through as JSON text rather than vanish.
      return v === undefined || v === null ? null : JSON.stringify(v);
  }
}

export function toRecord(page: RawPage): NotionRecord {
  const properties: Record<string, Plain> = {};
  for (const [name, p] of Object.entries(page.properties ?? {})) properties[name] = plainValue(p);
  return {
    id: page.id, url: page.url ?? null, createdAt: page.created_time, updatedAt: page.last_edited_time,
    inTrash: page.in_trash === true || page.archived === true, properties,
  };
}

export function toChange(page: RawPage): RecordChange<NotionRecord> {
  return { id: page.id, record: toRecord(page), modifiedAt: Date.parse(page.last_edited_time) };
}

export const recordSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Notion database page',
  type: 'object',
  required: ['id', 'createdAt', 'updatedAt', 'inTrash', 'properties'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'Page id (UUID with dashes)' },
    url: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time', description: 'last_edited_time (Notion rounds it to the minute)' },
    inTrash: { type: 'boolean' },
    properties: {
      type: 'object',
      description: 'Property values by name: title/rich_text/email/phone_number/url/select/status → string, number → number, checkbox → boolean, date → ISO start or start/end, people/multi_select → string[]',
      additionalProperties: { type: ['string', 'number', 'boolean', 'null', 'array'], items: { type: 'string' } },
    },
  },
};
