import type { PropertySchema } from './data-source.ts';

/**
 * Plain values back into Notion's write shapes, by the property's type in
 * the data source schema. Long text is split into 2,000-character runs,
 * Notion's limit per rich-text item. A value the type cannot take is an
 * error for that one record, not a silent drop.
 */
const MAX_TEXT = 2000;

function richText(value: unknown): Array<{ type: 'text'; text: { content: string } }> {
  const s = value === null || value === undefined ? '' : String(value);
  const out = [];
  for (let i = 0; i < s.length; i += MAX_TEXT) out.push({ type: 'text' as const, text: { content: s.slice(i, i + MAX_TEXT) } });
  return out;
}

const optional = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));

function date(value: unknown): { start: string; end?: string } | null {
  const s = optional(value);
  if (s === null) return null;
  const [start, end] = s.split('/');
  return end ? { start: start!, end } : { start: start! };
}

function list(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  return Array.isArray(value) ? value.map(String) : String(value).split(',').map((s) => s.trim()).filter(Boolean);
}

export function toPropertyValue(schema: PropertySchema, value: unknown): Record<string, unknown> {
  switch (schema.type) {
    case 'title':
      return { title: richText(value) };
    case 'rich_text':
      return { rich_text: richText(value) };
    case 'email':
      return { email: optional(value) };
    case 'phone_number':
      return { phone_number: optional(value) };
    case 'url':
      return { url: optional(value) };
    case 'select':
      return { select: optional(value) === null ? null : { name: String(value) } };
    case 'status':
      return { status: optional(value) === null ? null : { name: String(value) } };
    case 'multi_select':
      return { multi_select: list(value).map((name) => ({ name })) };
    case 'number': {
      if (value === null || value === undefined || value === '') return { number: null };
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) throw new Error(`${schema.name}: ${JSON.stringify(value)} is not a number`);
      return { number: n };
    }
    case 'checkbox':
      return { checkbox: value === true || value === 'true' || value === 1 };
    case 'date':
      return { date: date(value) };
    case 'people':
      return { people: list(value).map((id) => ({ id })) };
    default:
      throw new Error(`${schema.name}: properties of type ${schema.type} cannot be written by this connector`);
  }
}

/** The equality filter for a `matchField` lookup, for the types whose values can be compared. */
export function equalsFilter(schema: PropertySchema, value: unknown): Record<string, unknown> {
  const s = String(value);
  switch (schema.type) {
    case 'title':
    case 'rich_text':
    case 'email':
    case 'phone_number':
    case 'url':
      return { property: schema.name, [schema.type]: { equals: s } };
    case 'number':
      return { property: schema.name, number: { equals: Number(value) } };
    case 'select':
    case 'status':
      return { property: schema.name, [schema.type]: { equals: s } };
    default:
      throw new Error(`${schema.name}: cannot match on a ${schema.type} property`);
  }
}
