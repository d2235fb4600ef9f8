import { z } from 'zod';
import { StepError, describe } from '../errors.ts';
import { defineFunction, isAbsent, scalar } from './types.ts';

const args = z.strictObject({
  table: z.record(z.string().max(500), scalar).refine((t) => Object.keys(t).length > 0, { message: 'table is empty' }),
  default: scalar.optional(),
  /** The default of the derived reverse lookup (the forward default is not invertible). */
  reverseDefault: scalar.optional(),
  caseInsensitive: z.boolean().default(false),
});
type LookupArgs = z.output<typeof args>;

/** Keys are matched as text, so `1` in a record finds the YAML key "1". */
const keyOf = (v: unknown, fold: boolean): string | undefined => {
  if (typeof v === 'string') return fold ? v.toLowerCase() : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
};

export const lookup = defineFunction({
  elementwise: true,
  summary: 'Maps a value through `table`; a miss gives `default`, or a `lookup_miss` error when there is none.',
  args,
  compile: ({ table, default: fallback, caseInsensitive }) => {
    const map = new Map<string, unknown>();
    for (const [k, val] of Object.entries(table)) map.set(caseInsensitive ? k.toLowerCase() : k, val);
    const hasDefault = fallback !== undefined;
    return (v) => {
      if (isAbsent(v)) return v;
      const key = keyOf(v, caseInsensitive);
      if (key !== undefined && map.has(key)) return map.get(key);
      if (hasDefault) return fallback;
      throw new StepError('lookup_miss', `no table entry for ${describe(v)}`);
    };
  },
  invert: (a: LookupArgs): { fn: string; args: Record<string, unknown> } | string => {
    if (a.caseInsensitive) return 'a case-insensitive lookup is not one-to-one';
    const inverse: Record<string, string | number | boolean | null> = {};
    for (const [k, val] of Object.entries(a.table)) {
      const back = keyOf(val, false);
      if (back === undefined) return 'a null table value cannot be looked up backwards';
      if (Object.hasOwn(inverse, back)) return `table is not one-to-one: "${back}" comes from more than one key`;
      inverse[back] = k;
    }
    return { fn: 'lookup', args: { table: inverse, ...(a.reverseDefault !== undefined ? { default: a.reverseDefault } : {}) } };
  },
});
