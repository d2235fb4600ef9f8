/**
 * Option parsing shared by every scheme: zod does the checking, and the
 * first issue becomes a SchemeOptionsError naming the offending field, so
 * the API can point at it (`options.toleranceSec`).
 */
import { z } from 'zod';
import { SchemeOptionsError } from './types.ts';
import { DEFAULT_TOLERANCE_SEC } from './window.ts';

export const toleranceSec = z.number().int().positive().max(86_400).default(DEFAULT_TOLERANCE_SEC);

export function parseWith<S extends z.ZodType>(scheme: string, schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = unknownKey ?? (issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(options)');
  throw new SchemeOptionsError(field, `${scheme} option ${field}: ${issue?.message ?? 'invalid'}`);
}
