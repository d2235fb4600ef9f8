import { z } from 'zod';

/**
 * A subscription's filter, as data: every condition must hold.
 * `subject` is a glob (`*` any run), `data` compares values at dotted paths
 * with equality (or membership, given an array).
 */
export const filterSchema = z.object({
  subject: z.string().min(1).max(200).optional(),
  data: z.record(z.string().min(1).max(200), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()])).max(100)])).optional(),
}).strict();

export type EventFilter = z.infer<typeof filterSchema>;

function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** Compiles a filter once into a predicate over an event. */
export function compileFilter(filter: EventFilter): (event: { subject?: string; data: unknown }) => boolean {
  const subject = filter.subject ? glob(filter.subject) : undefined;
  const data = Object.entries(filter.data ?? {});
  return (event) => {
    if (subject && !subject.test(event.subject ?? '')) return false;
    for (const [path, want] of data) {
      const got = at(event.data, path);
      if (Array.isArray(want) ? !want.includes(got as never) : got !== want) return false;
    }
    return true;
  };
}
