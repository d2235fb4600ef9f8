import { z } from 'zod';
import { StepError, describe } from '../errors.ts';
import { defineFunction, isAbsent, noArgs, type NamedFunction } from './types.ts';

/** Numbers and booleans read as text; objects and arrays are a caller mistake worth reporting. */
export function asText(value: unknown, fn: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new StepError('not_text', `${fn} expects text, got ${describe(value)}`);
}

const textStep = (fn: string, op: (s: string) => string, summary: string): NamedFunction =>
  defineFunction({
    summary,
    elementwise: true,
    args: noArgs,
    compile: () => (v) => (isAbsent(v) ? v : op(asText(v, fn))),
  });

export const trim = textStep('trim', (s) => s.trim(), 'Removes leading and trailing whitespace.');
export const lower = textStep('lower', (s) => s.toLowerCase(), 'Lower-cases text.');
export const upper = textStep('upper', (s) => s.toUpperCase(), 'Upper-cases text.');

export const replace = defineFunction({
  elementwise: true,
  summary: 'Replaces a literal substring (never a regex) with another.',
  args: z.strictObject({ find: z.string().min(1).max(200), with: z.string().max(1000).default(''), all: z.boolean().default(true) }),
  compile: ({ find, with: by, all }) => {
    // A replacer function keeps `$&`-style patterns in `with` literal.
    const literal = (): string => by;
    return (v) => {
      if (isAbsent(v)) return v;
      const s = asText(v, 'replace');
      return all ? s.replaceAll(find, literal) : s.replace(find, literal);
    };
  },
});

export const split = defineFunction({
  summary: 'Splits text on a literal separator; returns the parts, one part (`index`), or the rest from `index` (`rest`).',
  args: z
    .strictObject({
      separator: z.string().min(1).max(20),
      index: z.number().int().min(-1000).max(1000).optional(),
      rest: z.boolean().default(false),
      skipEmpty: z.boolean().default(true),
      trim: z.boolean().default(true),
    })
    .refine((a) => !a.rest || a.index !== undefined, { message: '`rest` needs an `index`', path: ['rest'] }),
  compile: ({ separator, index, rest, skipEmpty, trim: trimParts }) => (v) => {
    if (isAbsent(v)) return v;
    let parts = asText(v, 'split').split(separator);
    if (trimParts) parts = parts.map((p) => p.trim());
    if (skipEmpty) parts = parts.filter((p) => p !== '');
    if (index === undefined) return parts;
    const at = index < 0 ? parts.length + index : index;
    if (rest) return at >= 0 && at < parts.length ? parts.slice(at).join(separator) : undefined;
    return parts[at];
  },
});

export const join = defineFunction({
  summary: 'Joins an array into text, skipping null and empty elements.',
  args: z.strictObject({ separator: z.string().max(20).default('') }),
  compile: ({ separator }) => (v) => {
    if (isAbsent(v) || typeof v === 'string') return v;
    if (!Array.isArray(v)) throw new StepError('not_array', `join expects an array, got ${describe(v)}`);
    const parts: string[] = [];
    for (const el of v) if (!isAbsent(el) && el !== '') parts.push(asText(el, 'join'));
    return parts.join(separator);
  },
});
