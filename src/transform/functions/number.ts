import { z } from 'zod';
import { StepError, describe } from '../errors.ts';
import { defineFunction, isAbsent } from './types.ts';

const locale = z.string().max(35).refine((l) => {
  try {
    return Intl.NumberFormat.supportedLocalesOf([l]).length > 0;
  } catch {
    return false;
  }
}, 'not a locale this runtime knows, e.g. de-DE');

const args = z
  .strictObject({ locale: locale.optional(), decimal: z.enum(['.', ',']).optional(), thousands: z.string().max(1).optional() })
  .refine((a) => !(a.locale && (a.decimal || a.thousands !== undefined)), { message: 'give `locale` or `decimal`/`thousands`, not both' })
  .refine((a) => a.decimal === undefined || a.decimal !== a.thousands, { message: 'decimal and thousands separators must differ', path: ['thousands'] });

/** The separators a locale writes, read from Intl once at compile time. */
export function separatorsOf(tag: string): { decimal: string; thousands: string } {
  const parts = new Intl.NumberFormat(tag, { useGrouping: true }).formatToParts(1234567.5);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    thousands: parts.find((p) => p.type === 'group')?.value ?? '',
  };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Locales group with spaces, no-break spaces, narrow no-break spaces or apostrophes; all of them are noise to a parser.
const SPACES = /[\s\u00a0\u202f]/g;

export const numberParse = defineFunction({
  elementwise: true,
  summary: 'Parses "1.234,5" (de-DE) or "1,234.5" into a number using the locale\'s (or the given) separators; numbers pass through.',
  args,
  compile: (a) => {
    const seps = a.locale ? separatorsOf(a.locale) : { decimal: a.decimal ?? '.', thousands: a.thousands ?? (a.decimal === ',' ? '.' : ',') };
    const groupIsSpace = /^[\s\u00a0\u202f]$/.test(seps.thousands);
    // "1.5.3" is not a German number: separators must sit between groups of three.
    const sep = seps.thousands.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const grouped = new RegExp(`^[+-]?\\d{1,3}(?:${sep}\\d{3})+$`);
    return (v) => {
      if (isAbsent(v) || v === '') return v === '' ? undefined : v;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) return v;
        throw new StepError('invalid_number', `${describe(v)} is not a finite number`);
      }
      if (typeof v !== 'string' || v.length > 100) throw new StepError('invalid_number', `${describe(v)} is not a number`);
      let s = v.replace(SPACES, '');
      if (seps.thousands && !groupIsSpace && s.includes(seps.thousands)) {
        const whole = s.split(seps.decimal)[0]!;
        if (!grouped.test(whole)) throw new StepError('invalid_number', `${describe(v)} groups digits oddly for "${seps.thousands}" thousands`);
        s = s.replaceAll(seps.thousands, '');
      }
      if (seps.decimal !== '.') {
        if (s.includes('.')) throw new StepError('invalid_number', `${describe(v)} uses "." but the decimal separator is "${seps.decimal}"`);
        s = s.replace(seps.decimal, '.');
      }
      if (!NUMBER.test(s)) throw new StepError('invalid_number', `${describe(v)} is not a number`);
      const n = Number(s);
      if (!Number.isFinite(n)) throw new StepError('invalid_number', `${describe(v)} is out of range`);
      return n;
    };
  },
});
