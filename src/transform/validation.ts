import { describe } from './errors.ts';
import { MAX_REGEX_INPUT } from './regex-guard.ts';
import type { ValidateSpec } from './spec.ts';

/**
 * `validate` rules compiled into one check per field. It returns the first
 * failed rule as `[code, message]`, or undefined when the value passes.
 * Rules other than `required` ignore absent values.
 */
export type Check = (v: unknown) => [code: string, message: string] | undefined;

const lengthOf = (v: unknown): number | undefined => (typeof v === 'string' || Array.isArray(v) ? v.length : undefined);

export function compileValidation(rules: ValidateSpec | undefined): Check | undefined {
  if (!rules) return undefined;
  const checks: Check[] = [];
  const { required, regex, min, max, minLength, maxLength } = rules;
  if (regex !== undefined) {
    const re = new RegExp(regex, 'u');
    checks.push((v) => {
      const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      if (s === undefined) return ['pattern', `${describe(v)} cannot be matched against a pattern`];
      if (s.length > MAX_REGEX_INPUT) return ['pattern', `value is longer than ${MAX_REGEX_INPUT} characters, too long to match`];
      return re.test(s) ? undefined : ['pattern', `${describe(v)} does not match ${regex}`];
    });
  }
  if (min !== undefined) checks.push((v) => (typeof v !== 'number' ? ['min', `${describe(v)} is not a number`] : v < min ? ['min', `${v} is less than ${min}`] : undefined));
  if (max !== undefined) checks.push((v) => (typeof v !== 'number' ? ['max', `${describe(v)} is not a number`] : v > max ? ['max', `${v} is greater than ${max}`] : undefined));
  if (minLength !== undefined) {
    checks.push((v) => {
      const n = lengthOf(v);
      return n === undefined ? ['min_length', `${describe(v)} has no length`] : n < minLength ? ['min_length', `length ${n} is under ${minLength}`] : undefined;
    });
  }
  if (maxLength !== undefined) {
    checks.push((v) => {
      const n = lengthOf(v);
      return n === undefined ? ['max_length', `${describe(v)} has no length`] : n > maxLength ? ['max_length', `length ${n} is over ${maxLength}`] : undefined;
    });
  }
  if (rules.enum !== undefined) {
    const allowed = new Set<unknown>(rules.enum);
    checks.push((v) => (allowed.has(v) ? undefined : ['not_in_enum', `${describe(v)} is not one of the allowed values`]));
  }
  if (!required && checks.length === 0) return undefined;
  return (v) => {
    if (v === undefined || v === null || v === '') return required ? ['required', 'a value is required'] : undefined;
    for (const c of checks) {
      const r = c(v);
      if (r) return r;
    }
    return undefined;
  };
}
