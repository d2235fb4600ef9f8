import { compilePath } from './path.ts';
import type { Condition, Scalar } from './spec.ts';

/**
 * `when` conditions compiled into predicates over the source record.
 * Comparison is strict (`"1"` is not `1`). On a wildcard path, a leaf holds
 * when any element satisfies it (and `neq` when none equals).
 */
export type Predicate = (record: unknown) => boolean;

const present = (v: unknown): boolean => v !== undefined && v !== null;

function flatten(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v);
  return out;
}

export function compileCondition(c: Condition): Predicate {
  if ('and' in c) {
    const parts = c.and.map(compileCondition);
    return (r) => parts.every((p) => p(r));
  }
  if ('or' in c) {
    const parts = c.or.map(compileCondition);
    return (r) => parts.some((p) => p(r));
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (r) => !inner(r);
  }
  const path = compilePath(c.path);
  const get = path.get;
  const test = leafTest(c);
  if (!path.hasWildcard) return (r) => test(get(r));
  if (c.neq !== undefined) {
    const eq = leafTest({ eq: c.neq });
    return (r) => !flatten(get(r)).some(eq);
  }
  return (r) => flatten(get(r)).some(test);
}

function leafTest(c: { eq?: Scalar; neq?: Scalar; in?: Scalar[]; exists?: boolean }): (v: unknown) => boolean {
  if ('eq' in c) {
    const want = c.eq;
    return (v) => v === want || (want === null && v === undefined);
  }
  if ('neq' in c) {
    const avoid = c.neq;
    return (v) => !(v === avoid || (avoid === null && v === undefined));
  }
  if (c.in !== undefined) {
    const set = new Set<unknown>(c.in);
    return (v) => set.has(v);
  }
  const want = c.exists === true;
  return (v) => present(v) === want;
}
