import { randomUUID } from 'node:crypto';
import { validation } from './errors.ts';
import type { DataSource, NotionState, Property, SelectOption } from './store.ts';

/**
 * Property schemas and values in Notion's shapes: how a data source lists
 * its schema, how a page shows each value, and how a write is checked
 * (request limits: 2,000 chars per text content, 200 for email/phone, 100
 * array elements) with Notion's `body failed validation` messages.
 */
const MAX_TEXT = 2000;
const MAX_SHORT = 200;
const MAX_ARRAY = 100;

export function schemaOf(ds: DataSource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ds.properties) {
    let config: Record<string, unknown> = {};
    if (p.type === 'select') config = { options: p.options ?? [] };
    if (p.type === 'status') {
      const options = p.options ?? [];
      config = { options, groups: [{ id: `grp-${p.id}`, name: 'All', color: 'gray', option_ids: options.map((o) => o.id) }] };
    }
    if (p.type === 'number') config = { format: p.format ?? 'number' };
    out[p.name] = { id: p.id, name: p.name, type: p.type, description: '', [p.type]: config };
  }
  return out;
}

const emptyValue = (type: Property['type']): unknown =>
  type === 'title' || type === 'rich_text' || type === 'people' ? [] : type === 'checkbox' ? false : null;

export function pagePropertiesOf(state: NotionState, ds: DataSource, values: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ds.properties) {
    let value = values.has(p.id) ? values.get(p.id) : emptyValue(p.type);
    if (p.type === 'people') {
      value = (value as { id: string }[]).map(({ id }) => {
        const u = state.users.get(id);
        return u?.type === 'person'
          ? { object: 'user', id, name: u.name, avatar_url: null, type: 'person', person: { email: u.email } }
          : { object: 'user', id };
      });
    }
    out[p.name] = { id: p.id, type: p.type, [p.type]: value };
  }
  return out;
}

export const plainText = (richText: unknown): string =>
  Array.isArray(richText) ? richText.map((r) => (r as { plain_text?: string }).plain_text ?? '').join('') : '';

const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v));

function richText(path: string, raw: unknown): unknown[] {
  if (!Array.isArray(raw)) throw validation(`body failed validation: ${path} should be an array, instead was \`${show(raw)}\`.`);
  if (raw.length > MAX_ARRAY) throw validation(`body failed validation: ${path}.length should be ≤ \`${MAX_ARRAY}\`, instead was \`${raw.length}\`.`);
  return raw.map((item, i) => {
    const r = (item ?? {}) as { type?: string; text?: { content?: unknown; link?: unknown }; annotations?: Record<string, unknown> };
    const content = r.text?.content;
    if (typeof content !== 'string') throw validation(`body failed validation: ${path}[${i}].text.content should be defined, instead was \`${show(content)}\`.`);
    if (content.length > MAX_TEXT) throw validation(`body failed validation: ${path}[${i}].text.content.length should be ≤ \`${MAX_TEXT}\`, instead was \`${content.length}\`.`);
    const link = (r.text?.link ?? null) as { url: string } | null;
    return {
      type: 'text', text: { content, link },
      annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default', ...(r.annotations ?? {}) },
      plain_text: content, href: link?.url ?? null,
    };
  });
}

function shortString(path: string, raw: unknown): string | null {
  if (raw === null) return null;
  if (typeof raw !== 'string') throw validation(`body failed validation: ${path} should be a string or \`null\`, instead was \`${show(raw)}\`.`);
  if (raw.length > MAX_SHORT) throw validation(`body failed validation: ${path}.length should be ≤ \`${MAX_SHORT}\`, instead was \`${raw.length}\`.`);
  return raw;
}

function option(p: Property, path: string, raw: unknown, createMissing: boolean): SelectOption | null {
  if (raw === null) return null;
  const r = (raw ?? {}) as { id?: string; name?: string };
  const options = (p.options ??= []);
  const found = options.find((o) => (r.id !== undefined && o.id === r.id) || (r.name !== undefined && o.name === r.name));
  if (found) return found;
  if (typeof r.name !== 'string') throw validation(`body failed validation: ${path}.name should be defined, instead was \`undefined\`.`);
  if (!createMissing) throw validation(`Invalid status option. Status option "${r.name}" does not exist".`);
  if (r.name.includes(',')) throw validation(`Invalid select option, commas not allowed: ${r.name}`);
  const created: SelectOption = { id: randomUUID().slice(0, 4), name: r.name, color: 'default', description: null };
  options.push(created);
  return created;
}

function parseOne(state: NotionState, p: Property, path: string, raw: unknown): unknown {
  switch (p.type) {
    case 'title':
    case 'rich_text': return richText(path, raw);
    case 'email':
    case 'phone_number': return shortString(path, raw);
    case 'select': return option(p, path, raw, true);
    case 'status': return option(p, path, raw, false);
    case 'number':
      if (raw !== null && (typeof raw !== 'number' || !Number.isFinite(raw))) throw validation(`body failed validation: ${path} should be a number or \`null\`, instead was \`${show(raw)}\`.`);
      return raw;
    case 'checkbox':
      if (typeof raw !== 'boolean') throw validation(`body failed validation: ${path} should be a boolean, instead was \`${show(raw)}\`.`);
      return raw;
    case 'date': {
      if (raw === null) return null;
      const d = (raw ?? {}) as { start?: unknown; end?: unknown; time_zone?: unknown };
      if (typeof d.start !== 'string' || Number.isNaN(Date.parse(d.start))) throw validation(`body failed validation: ${path}.start should be a valid ISO 8601 date string, instead was \`${show(d.start)}\`.`);
      return { start: d.start, end: d.end ?? null, time_zone: d.time_zone ?? null };
    }
    case 'people': {
      if (!Array.isArray(raw)) throw validation(`body failed validation: ${path} should be an array, instead was \`${show(raw)}\`.`);
      if (raw.length > MAX_ARRAY) throw validation(`body failed validation: ${path}.length should be ≤ \`${MAX_ARRAY}\`, instead was \`${raw.length}\`.`);
      return raw.map((u, i) => {
        const id = (u as { id?: unknown })?.id;
        if (typeof id !== 'string' || !state.users.has(id)) throw validation(`body failed validation: ${path}[${i}].id should be a valid user id, instead was \`${show(id)}\`.`);
        return { id };
      });
    }
  }
}

/** Checks a `properties` write (keyed by name or id) and returns property id → new value. */
export function parseProperties(state: NotionState, ds: DataSource, input: unknown): Map<string, unknown> {
  if (input === undefined) return new Map();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw validation(`body failed validation: body.properties should be an object, instead was \`${show(input)}\`.`);
  }
  const out = new Map<string, unknown>();
  for (const [key, rawValue] of Object.entries(input as Record<string, unknown>)) {
    const p = ds.properties.find((x) => x.name === key || x.id === key);
    if (!p) throw validation(`${key} is not a property that exists.`);
    const value = (rawValue ?? {}) as Record<string, unknown>;
    if (value.type !== undefined && value.type !== p.type) throw validation(`${p.name} is expected to be ${p.type}.`);
    if (!(p.type in value)) throw validation(`body failed validation: body.properties.${p.name}.${p.type} should be defined, instead was \`undefined\`.`);
    out.set(p.id, parseOne(state, p, `body.properties.${p.name}.${p.type}`, value[p.type]));
  }
  return out;
}
