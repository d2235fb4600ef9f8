/**
 * Column values, typed. Reads use only `id type text value` (present on every
 * column type in every API version) and decode Monday's stored `value` JSON,
 * so no version-specific typed fragment is needed. Writes turn a typed column
 * back into what `column_values` takes, so a listed item can be written back
 * unchanged.
 */
export interface RawColumnValue {
  id: string;
  type: string;
  text: string | null;
  /** Monday's stored value as a JSON string; null when the cell is empty. */
  value: string | null;
}

export type TypedColumn =
  | { type: 'text'; text: string | null }
  | { type: 'email'; text: string | null; email: string | null; label: string | null }
  | { type: 'phone'; text: string | null; phone: string | null; countryShortName: string | null }
  | { type: 'status'; text: string | null; label: string | null; index: number | null }
  | { type: 'date'; text: string | null; date: string | null; time: string | null }
  | { type: 'numbers'; text: string | null; number: number | null }
  | { type: 'people'; text: string | null; personIds: number[]; teamIds: number[] }
  | { type: string; text: string | null; value: unknown };

function parse(value: string | null): unknown {
  if (value === null || value === undefined || value === '') return null;
  try {
    return JSON.parse(value);
  } catch (_err) {
    return value;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

export function typedColumn(raw: RawColumnValue): TypedColumn {
  const text = raw.text === '' || raw.text === undefined ? null : raw.text;
  const v = parse(raw.value);
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  switch (raw.type) {
    case 'text':
    case 'long_text':
      return { type: 'text', text };
    case 'email':
      return { type: 'email', text, email: str(o.email), label: str(o.text) };
    case 'phone':
      return { type: 'phone', text, phone: str(o.phone), countryShortName: str(o.countryShortName) };
    case 'status':
      // The status `text` is the label; the stored value keeps only the index.
      return { type: 'status', text, label: text, index: typeof o.index === 'number' ? o.index : null };
    case 'date':
      return { type: 'date', text, date: str(o.date), time: str(o.time) };
    case 'numbers': {
      const n = v === null ? NaN : Number(v);
      return { type: 'numbers', text, number: Number.isFinite(n) ? n : null };
    }
    case 'people': {
      const list = Array.isArray(o.personsAndTeams) ? (o.personsAndTeams as { id: unknown; kind?: unknown }[]) : [];
      const ids = (kind: string) => list.filter((p) => (p.kind ?? 'person') === kind).map((p) => Number(p.id)).filter(Number.isFinite);
      return { type: 'people', text, personIds: ids('person'), teamIds: ids('team') };
    }
    default:
      return { type: raw.type, text, value: v };
  }
}

/** What `column_values` takes for one typed column; `{}` / `""` clear a cell. */
export function writeValue(column: TypedColumn): unknown {
  const c = column as Record<string, unknown>;
  switch (column.type) {
    case 'text':
      return str(c.text) ?? '';
    case 'email':
      return str(c.email) ? { email: c.email, text: str(c.label) ?? c.email } : {};
    case 'phone':
      return str(c.phone) ? { phone: c.phone, ...(str(c.countryShortName) ? { countryShortName: c.countryShortName } : {}) } : {};
    case 'status':
      if (str(c.label)) return { label: c.label };
      return typeof c.index === 'number' ? { index: c.index } : {};
    case 'date':
      return str(c.date) ? { date: c.date, ...(str(c.time) ? { time: c.time } : {}) } : {};
    case 'numbers':
      return typeof c.number === 'number' && Number.isFinite(c.number) ? String(c.number) : '';
    case 'people': {
      const persons = ((c.personIds as number[] | undefined) ?? []).map((id) => ({ id, kind: 'person' }));
      const teams = ((c.teamIds as number[] | undefined) ?? []).map((id) => ({ id, kind: 'team' }));
      return persons.length + teams.length > 0 ? { personsAndTeams: [...persons, ...teams] } : {};
    }
    default:
      return c.value ?? {};
  }
}

/**
 * Column types Monday computes itself; writing one fails the whole item, so
 * typed cells of these types (as a listed item carries them) are not sent.
 */
export const READ_ONLY_TYPES = new Set([
  'formula', 'mirror', 'lookup', 'auto_number', 'creation_log', 'last_updated', 'item_id', 'progress', 'subtasks', 'button', 'time_tracking', 'vote', 'dependency',
]);

/** Column types whose value can be looked up with an `any_of` rule on its text. */
export const MATCHABLE_TYPES = new Set(['email', 'text', 'phone', 'numbers']);
