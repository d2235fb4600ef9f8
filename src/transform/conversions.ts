import { StepError, describe } from './errors.ts';
import { isoDate, readAuto, validMs } from './functions/date.ts';
import type { FieldType, Scalar } from './spec.ts';

/**
 * `type` conversions, run after the transform pipeline. They coerce the
 * obvious cases ("42" → 42, "yes" → true, epoch ms → ISO) and report the
 * rest; null and undefined pass through so `required` decides about them.
 */
export type Convert = (v: unknown) => unknown;

const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);
const E164 = /^\+[1-9]\d{1,14}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@.]{1,63}$/;

const fail = (code: string, type: string, v: unknown): never => {
  throw new StepError(code, `${describe(v)} is not ${type}`);
};

function toNumber(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : fail('invalid_number', 'a finite number', v);
  if (typeof v === 'string' && v.trim() !== '' && v.length <= 100) {
    const n = Number(v.trim());
    if (Number.isFinite(n)) return n;
  }
  return fail('invalid_number', 'a number', v);
}

const toMs = (v: unknown): number => {
  const ms = readAuto(v);
  return validMs(ms) ? ms : fail('invalid_date', 'a date', v);
};

export function compileConversion(type: FieldType | undefined, values?: Scalar[]): Convert | undefined {
  switch (type) {
    case undefined:
      return undefined;
    case 'string':
      return (v) => (typeof v === 'string' || v == null ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fail('invalid_type', 'text', v));
    case 'number':
      return (v) => (v == null ? v : toNumber(v));
    case 'integer':
      return (v) => {
        if (v == null) return v;
        const n = toNumber(v);
        return Number.isSafeInteger(n) ? n : fail('not_integer', 'an integer', v);
      };
    case 'boolean':
      return (v) => {
        if (v == null || typeof v === 'boolean') return v;
        const key = typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : undefined;
        if (key !== undefined && TRUE.has(key)) return true;
        if (key !== undefined && FALSE.has(key)) return false;
        return fail('invalid_boolean', 'a boolean', v);
      };
    case 'date':
      return (v) => (v == null ? v : isoDate(toMs(v)));
    case 'datetime':
      return (v) => (v == null ? v : new Date(toMs(v)).toISOString());
    case 'email':
      return (v) => (v == null || (typeof v === 'string' && EMAIL.test(v)) ? v : fail('invalid_email', 'an email address', v));
    case 'phone':
      return (v) => (v == null || (typeof v === 'string' && E164.test(v)) ? v : fail('invalid_phone', 'an E.164 phone number (use phone_normalize)', v));
    case 'enum': {
      const allowed = new Set<unknown>(values);
      return (v) => (v == null || allowed.has(v) ? v : fail('not_in_enum', `one of ${JSON.stringify(values).slice(0, 80)}`, v));
    }
    case 'array':
      return (v) => (v == null || Array.isArray(v) ? v : [v]);
    case 'object':
      return (v) => (v == null || (typeof v === 'object' && !Array.isArray(v)) ? v : fail('invalid_type', 'an object', v));
  }
}
