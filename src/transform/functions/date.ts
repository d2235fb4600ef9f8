import { z } from 'zod';
import { StepError, describe } from '../errors.ts';
import { defineFunction, isAbsent } from './types.ts';

/**
 * Dates are read and written in UTC. Patterns use YYYY MM DD HH mm ss SSS;
 * anything else in a pattern is literal text.
 */
const TOKEN = /YYYY|SSS|MM|DD|HH|mm|ss/g;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Reader = (v: unknown) => number | undefined;
type Writer = (ms: number) => string | number;

const pattern = z.string().min(1).max(64).refine((p) => p.match(TOKEN) !== null, 'a pattern needs at least one of YYYY MM DD HH mm ss SSS');
const args = z.strictObject({
  to: z.union([z.enum(['iso', 'date', 'epoch_ms', 'epoch_s']), pattern]),
  from: z.union([z.enum(['auto', 'epoch_ms', 'epoch_s']), pattern]).default('auto'),
});

/** Milliseconds since the epoch from an ISO string, a number of ms, or a Date. */
export function readAuto(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return undefined;
  const m = ISO.exec(v.trim());
  if (!m) return undefined;
  const text = v.trim().replace(' ', 'T');
  // Without an offset, JS reads date-times as local time; we read everything as UTC.
  const ms = Date.parse(text.length > 10 && !m[1] ? `${text}Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

function patternReader(p: string): Reader {
  const order: string[] = [];
  const source = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(TOKEN, (t) => {
    order.push(t);
    return t === 'YYYY' ? '(\\d{4})' : t === 'SSS' ? '(\\d{3})' : '(\\d{1,2})';
  });
  const re = new RegExp(`^${source}$`);
  return (v) => {
    if (typeof v !== 'string') return undefined;
    const m = re.exec(v.trim());
    if (!m) return undefined;
    const f: Record<string, number> = { YYYY: 1970, MM: 1, DD: 1, HH: 0, mm: 0, ss: 0, SSS: 0 };
    order.forEach((t, i) => (f[t] = Number(m[i + 1])));
    const ms = Date.UTC(f.YYYY!, f.MM! - 1, f.DD!, f.HH!, f.mm!, f.ss!, f.SSS!);
    const d = new Date(ms);
    // Date.UTC rolls 31 Feb into March; a date that does not survive the round trip does not exist.
    if (d.getUTCMonth() !== f.MM! - 1 || d.getUTCDate() !== f.DD! || f.HH! > 23 || f.mm! > 59 || f.ss! > 59) return undefined;
    return ms;
  };
}

function reader(from: string): Reader {
  if (from === 'auto') return readAuto;
  if (from === 'epoch_ms' || from === 'epoch_s') {
    const scale = from === 'epoch_s' ? 1000 : 1;
    return (v) => {
      const n = typeof v === 'string' && /^-?\d{1,16}$/.test(v.trim()) ? Number(v) : v;
      return typeof n === 'number' && Number.isFinite(n) ? n * scale : undefined;
    };
  }
  return patternReader(from);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The largest |ms| a Date can hold (±100,000,000 days). */
export const validMs = (ms: number | undefined): ms is number => ms !== undefined && Math.abs(ms) <= 8.64e15;

/**
 * YYYY-MM-DD of a UTC instant with integer arithmetic (Hinnant's days-to-civil):
 * the date-only case is the hot one in syncs, and this avoids a Date per call.
 */
export function isoDate(ms: number): string {
  const z = Math.floor(ms / 86_400_000) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) return new Date(ms).toISOString().slice(0, -14);
  return `${pad(y, 4)}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function writer(to: string): Writer {
  if (to === 'iso') return (ms) => new Date(ms).toISOString();
  if (to === 'date') return isoDate;
  if (to === 'epoch_ms') return (ms) => ms;
  if (to === 'epoch_s') return (ms) => Math.floor(ms / 1000);
  const parts = to.split(/(YYYY|SSS|MM|DD|HH|mm|ss)/);
  return (ms) => {
    const d = new Date(ms);
    let out = '';
    for (const p of parts) {
      switch (p) {
        case 'YYYY': out += pad(d.getUTCFullYear(), 4); break;
        case 'MM': out += pad(d.getUTCMonth() + 1); break;
        case 'DD': out += pad(d.getUTCDate()); break;
        case 'HH': out += pad(d.getUTCHours()); break;
        case 'mm': out += pad(d.getUTCMinutes()); break;
        case 'ss': out += pad(d.getUTCSeconds()); break;
        case 'SSS': out += pad(d.getUTCMilliseconds(), 3); break;
        default: out += p;
      }
    }
    return out;
  };
}

export const dateFormat = defineFunction({
  elementwise: true,
  summary: 'Reads a date (`from`: auto = ISO 8601 or epoch ms, epoch_s, or a pattern) and writes it (`to`: iso, date, epoch_ms, epoch_s or a pattern), in UTC.',
  args,
  compile: ({ to, from }) => {
    const read = reader(from);
    const write = writer(to);
    return (v) => {
      if (isAbsent(v) || v === '') return v === '' ? undefined : v;
      const ms = read(v);
      if (!validMs(ms)) throw new StepError('invalid_date', `${describe(v)} is not a date${from === 'auto' ? '' : ` in ${from}`}`);
      return write(ms);
    };
  },
});
