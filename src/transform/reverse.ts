import type { FunctionRegistry } from './functions/types.ts';
import { isGroup, targetsOf, type EntrySpec, type FieldSpec, type ParsedStep } from './spec.ts';

/**
 * Derives a reverse mapping from the invertible forward entries: plain
 * renames, and pipelines whose every step declares an inverse (today:
 * `lookup` with a one-to-one table). Conversions and validation are
 * target-side concerns, so derived entries carry neither; the round trip holds
 * for source values already in the declared type. Everything else is listed
 * as a gap instead of being guessed.
 */
export interface ReverseGap {
  field: string;
  reason: string;
}

export function deriveReverse(forward: EntrySpec[], registry: FunctionRegistry): { entries: FieldSpec[]; gaps: ReverseGap[] } {
  const entries: FieldSpec[] = [];
  const gaps: ReverseGap[] = [];
  const gap = (field: string, reason: string): void => void gaps.push({ field, reason });
  for (const entry of forward) {
    if (isGroup(entry)) {
      for (const t of targetsOf(entry.fields)) gap(t, 'inside a conditional group; declare `reverse` for it');
      continue;
    }
    if (entry.source === undefined) {
      gap(entry.target, 'has no source path to write back to');
      continue;
    }
    if (entry.when) {
      gap(entry.target, 'has a `when` condition on the source record');
      continue;
    }
    const inverted: ParsedStep[] = [];
    let reason: string | undefined;
    for (const step of [...(entry.transform ?? [])].reverse()) {
      const fn = registry[step.fn]!;
      const back = fn.invert ? fn.invert(step.args) : `\`${step.fn}\` is not invertible`;
      if (typeof back === 'string') {
        reason = back;
        break;
      }
      const args = registry[back.fn]!.args.parse(back.args ?? {}) as Record<string, unknown>;
      inverted.push({ fn: back.fn, args });
    }
    if (reason) {
      gap(entry.target, reason);
      continue;
    }
    const back: FieldSpec = { source: entry.target, target: entry.source };
    if (inverted.length > 0) back.transform = inverted;
    entries.push(back);
  }
  return { entries, gaps };
}
