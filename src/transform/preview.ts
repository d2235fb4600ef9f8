import type { MappingFieldError, SpecError } from './errors.ts';
import { compileMapping, type CompileOptions } from './compile.ts';

/**
 * Runs a spec over sample records and reports, per record, the output or the
 * field errors. Nothing is written anywhere; the API's preview route wraps
 * this as it is.
 */
export interface PreviewOptions extends CompileOptions {
  direction?: 'forward' | 'reverse';
}

export type PreviewRow = { index: number; ok: true; record: Record<string, unknown> } | { index: number; ok: false; errors: MappingFieldError[] };

export type PreviewResult =
  | { ok: true; direction: 'forward' | 'reverse'; reverseFrom: 'declared' | 'derived' | 'none'; results: PreviewRow[] }
  | { ok: false; errors: SpecError[] };

export function preview(spec: unknown, records: readonly unknown[], options: PreviewOptions = {}): PreviewResult {
  const compiled = compileMapping(spec, options);
  if (!compiled.ok) return compiled;
  const direction = options.direction ?? 'forward';
  const mapper = direction === 'forward' ? compiled.mapper.forward : compiled.mapper.reverse;
  if (!mapper) return { ok: false, errors: [{ path: 'reverse', message: 'the spec declares no reverse and none of its entries can be inverted' }] };
  const results = records.map((record, index): PreviewRow => {
    const r = mapper(record);
    return r.ok ? { index, ok: true, record: r.record } : { index, ok: false, errors: r.errors };
  });
  return { ok: true, direction, reverseFrom: compiled.mapper.reverseFrom, results };
}
