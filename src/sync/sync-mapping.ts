import { compileMapping, type CompileOptions, type Mapper, type SpecError } from '../transform/index.ts';

/**
 * What a sync needs from a mapping spec, compiled once per run: the forward
 * and reverse mappers, a projection that copies the forward targets out of a
 * target record (so both sides of a pair are compared in the same shape), the
 * source path behind each target path (for field-level times), and the
 * sync's filter. The projection and the filter are themselves compiled
 * mapping specs, so they share the transform module's paths and conditions.
 */
export interface SyncMapping {
  forward: Mapper;
  reverse: Mapper | undefined;
  project: Mapper;
  targetPaths: string[];
  sourceOf: ReadonlyMap<string, string>;
  filter: ((record: unknown) => boolean) | undefined;
}

type RawEntry = { source?: unknown; target?: unknown; fields?: unknown };

function walk(entries: unknown, out: Map<string, string | undefined>): void {
  if (!Array.isArray(entries)) return;
  for (const e of entries as RawEntry[]) {
    if (Array.isArray(e?.fields)) walk(e.fields, out);
    else if (typeof e?.target === 'string' && !out.has(e.target)) out.set(e.target, typeof e.source === 'string' ? e.source : undefined);
  }
}

export function compileSyncMapping(spec: unknown, filter: unknown, options: CompileOptions = {}): { ok: true; mapping: SyncMapping } | { ok: false; errors: SpecError[] } {
  const compiled = compileMapping(spec, options);
  if (!compiled.ok) return compiled;
  const raw = spec as { fields?: unknown; forward?: unknown };
  const targets = new Map<string, string | undefined>();
  walk(raw.fields ?? raw.forward, targets);
  const targetPaths = [...targets.keys()];
  const projection = compileMapping({ version: 1, name: 'projection', fields: targetPaths.map((t) => ({ source: t, target: t })) });
  if (!projection.ok) return { ok: false, errors: projection.errors.map((e) => ({ path: `projection: ${e.path}`, message: e.message })) };
  const f = filter === undefined || filter === null ? undefined : compileFilter(filter);
  if (f && !f.ok) return f;
  const sourceOf = new Map<string, string>();
  for (const [t, s] of targets) if (s) sourceOf.set(t, s);
  return {
    ok: true,
    mapping: { forward: compiled.mapper.forward, reverse: compiled.mapper.reverse, project: projection.mapper.forward, targetPaths, sourceOf, filter: f?.ok ? f.filter : undefined },
  };
}

/** A filter is a transform condition; it is checked by compiling a one-entry group guarded by it. */
export function compileFilter(condition: unknown): { ok: true; filter: (record: unknown) => boolean } | { ok: false; errors: SpecError[] } {
  const c = compileMapping({ version: 1, name: 'filter', fields: [{ when: condition, fields: [{ target: 'pass', transform: [{ fn: 'default', args: { value: true } }] }] }] });
  if (!c.ok) return { ok: false, errors: c.errors.map((e) => ({ path: e.path.replace(/^fields\[0\]\.when\.?/, 'filters.').replace(/\.$/, ''), message: e.message })) };
  const run = c.mapper.forward;
  return { ok: true, filter: (record) => { const r = run(record); return r.ok && r.record.pass === true; } };
}
