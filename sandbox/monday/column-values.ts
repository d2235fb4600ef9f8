import { columnValueError } from './errors.ts';
import type { Column, MondayState } from './store.ts';

/**
 * Each column type as Monday keeps it: what a write accepts (the JSON object
 * form or the "simple string" form), what it stores as `value`, and what the
 * read-only `text` shows. Stored values carry `changed_at` like Monday's do.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;

type Parsed = { stored: unknown } | { clear: true };

const isEmptyInput = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

export function statusLabels(column: Column): Record<string, string> {
  return (column.settings.labels ?? {}) as Record<string, string>;
}

/** Turns one written value into what Monday stores, or throws ColumnValueException. */
export function parseColumnInput(state: MondayState, column: Column, input: unknown, createLabels = false): Parsed {
  if (isEmptyInput(input)) return { clear: true };
  const changedAt = new Date().toISOString();
  const fail = (reason: string) => columnValueError(reason, column.type, column.id);
  const obj = typeof input === 'object' && input !== null ? input as Record<string, unknown> : null;
  switch (column.type) {
    case 'name':
    case 'text': {
      const text = obj ? obj.text : input;
      if (typeof text !== 'string' && typeof text !== 'number') throw fail('text column expects a string');
      return { stored: String(text) };
    }
    case 'numbers': {
      const raw = obj ? obj.number : input;
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (String(raw).trim() === '' || !Number.isFinite(n)) throw fail('numbers column expects a number');
      return { stored: String(raw).trim() };
    }
    case 'email': {
      const [email, ...rest] = obj ? [obj.email, obj.text] : String(input).trim().split(/\s+/);
      if (typeof email !== 'string' || !EMAIL.test(email)) throw fail('email is not valid');
      const label = obj ? obj.text : rest.join(' ');
      return { stored: { email, text: typeof label === 'string' && label !== '' ? label : email, changed_at: changedAt } };
    }
    case 'phone': {
      const [phone, country] = obj ? [obj.phone, obj.countryShortName] : String(input).trim().split(/\s+/);
      const digits = String(phone ?? '').replace(/[\s()-]/g, '');
      if (!/^\+?\d{5,15}$/.test(digits)) throw fail('phone number is not valid');
      if (country !== undefined && !/^[A-Z]{2}$/.test(String(country))) throw fail('countryShortName must be a 2-letter country code');
      return { stored: { phone: digits, countryShortName: country ?? 'US', changed_at: changedAt } };
    }
    case 'status': {
      const labels = statusLabels(column);
      let index: string | undefined;
      if (obj && obj.index !== undefined) index = String(obj.index);
      else {
        const label = String(obj ? obj.label : input);
        index = Object.keys(labels).find((k) => labels[k] === label);
        if (index === undefined && /^\d+$/.test(label) && !obj && labels[label] !== undefined) index = label;
        if (index === undefined && createLabels) {
          index = String(Math.max(-1, ...Object.keys(labels).map(Number)) + 1);
          labels[index] = label;
          column.settings.labels = labels;
        }
      }
      if (index === undefined || labels[index] === undefined) throw fail('label does not exist in column');
      return { stored: { index: Number(index), post_id: null, changed_at: changedAt } };
    }
    case 'date': {
      const [date, time] = obj ? [obj.date, obj.time] : String(input).trim().split(/\s+/);
      if (typeof date !== 'string' || !DATE.test(date) || Number.isNaN(Date.parse(date))) throw fail('date should be in YYYY-MM-DD format');
      if (time !== undefined && time !== null && (typeof time !== 'string' || !TIME.test(time))) throw fail('time should be in HH:MM:SS format');
      return { stored: { date, ...(time ? { time: time.length === 5 ? `${time}:00` : time } : {}), changed_at: changedAt } };
    }
    case 'people': {
      const list = obj
        ? (obj.personsAndTeams as { id: unknown; kind?: unknown }[] | undefined) ?? []
        : String(input).split(',').map((s) => ({ id: s.trim(), kind: 'person' }));
      const persons = list.map((p) => ({ id: Number(p.id), kind: p.kind === 'team' ? 'team' : 'person' }));
      for (const p of persons) if (p.kind === 'person' && !state.users.has(String(p.id))) throw fail(`user ${p.id} does not exist`);
      return { stored: { personsAndTeams: persons, changed_at: changedAt } };
    }
  }
}

/** The read-only `text` of a stored value. */
export function textOf(state: MondayState, column: Column, stored: unknown): string {
  if (stored === undefined || stored === null) return '';
  const v = stored as Record<string, unknown>;
  switch (column.type) {
    case 'name':
    case 'text':
    case 'numbers':
      return String(stored);
    case 'email':
      return String(v.email ?? '');
    case 'phone':
      return String(v.phone ?? '');
    case 'status':
      return statusLabels(column)[String(v.index)] ?? '';
    case 'date':
      return v.time ? `${String(v.date)} ${String(v.time)}` : String(v.date ?? '');
    case 'people':
      return ((v.personsAndTeams ?? []) as { id: number }[])
        .map((p) => state.users.get(String(p.id))?.name ?? String(p.id)).join(', ');
  }
}

/** The GraphQL `value` field: Monday returns the stored JSON as a JSON string, null when empty. */
export function valueOf(stored: unknown): string | null {
  return stored === undefined || stored === null ? null : JSON.stringify(stored);
}

/** The webhook's view of a value (Monday sends richer objects than `value`). */
export function webhookValueOf(column: Column, stored: unknown): unknown {
  if (stored === undefined || stored === null) return null;
  if (column.type === 'text' || column.type === 'name') return { value: stored };
  if (column.type === 'numbers') return { value: Number(stored), unit: null };
  if (column.type === 'status') {
    const index = (stored as { index: number }).index;
    const text = statusLabels(column)[String(index)] ?? '';
    const doneColors = (column.settings.done_colors ?? []) as number[];
    return { label: { index, text, style: { color: '#00c875', border: '#00b461' }, is_done: doneColors.includes(index) }, post_id: null };
  }
  const { changed_at: _changed, ...rest } = stored as Record<string, unknown>;
  return rest;
}

/** Parses `column_values`: a JSON string (what clients send) or an already-decoded object. */
export function decodeColumnValues(raw: unknown): Record<string, unknown> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (_e) {
      throw columnValueError('column_values is not valid JSON', 'json', '');
    }
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw columnValueError('column_values must be a JSON object', 'json', '');
  return value as Record<string, unknown>;
}
