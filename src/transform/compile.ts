import { StepError, type MappingFieldError, type SpecError } from './errors.ts';
import { compileCondition } from './condition.ts';
import { compileConversion } from './conversions.ts';
import { BUILTIN_FUNCTIONS } from './functions/builtins.ts';
import { tools, type FunctionRegistry, type NamedFunction, type StepFn } from './functions/types.ts';
import { compilePath } from './path.ts';
import { deriveReverse, type ReverseGap } from './reverse.ts';
import { validateSpec } from './spec-schema.ts';
import { isGroup, targetsOf, type EntrySpec, type FieldSpec } from './spec.ts';
import { compileValidation } from './validation.ts';

/**
 * Turns a validated spec into plain closures, once. Running a mapper walks an
 * array of prebuilt field closures: the spec is never looked at again, and no
 * code is generated from strings.
 */
export type MapResult = { ok: true; record: Record<string, unknown> } | { ok: false; errors: MappingFieldError[] };
export type Mapper = (record: unknown) => MapResult;

export interface CompiledMapping {
  name: string;
  version: number;
  forward: Mapper;
  /** Undefined when the spec declares no reverse and no entry could be inverted. */
  reverse: Mapper | undefined;
  reverseFrom: 'declared' | 'derived' | 'none';
  /** Forward entries left out of a derived reverse, and why. */
  reverseGaps: ReverseGap[];
}

export type CompileResult = { ok: true; mapper: CompiledMapping } | { ok: false; errors: SpecError[] };

export interface CompileOptions {
  /** Extra named functions (from the config module); they may not shadow a built-in. */
  functions?: FunctionRegistry;
}

type Runner = (record: Record<string, unknown>, out: Record<string, unknown>, errors: MappingFieldError[]) => void;

const NAME = /^[a-z][a-z0-9_]{0,63}$/;

export function buildRegistry(extra: FunctionRegistry | undefined): { registry: FunctionRegistry; errors: SpecError[] } {
  const errors: SpecError[] = [];
  const registry: Record<string, NamedFunction> = { ...BUILTIN_FUNCTIONS };
  for (const [name, fn] of Object.entries(extra ?? {})) {
    if (Object.hasOwn(BUILTIN_FUNCTIONS, name)) errors.push({ path: `functions.${name}`, message: 'shadows a built-in function' });
    else if (!NAME.test(name)) errors.push({ path: `functions.${name}`, message: 'function names are lower_snake_case' });
    else if (typeof fn?.compile !== 'function' || typeof fn.args?.safeParse !== 'function') errors.push({ path: `functions.${name}`, message: 'needs `args` (a zod schema) and `compile`' });
    else registry[name] = fn;
  }
  return { registry, errors };
}

export function compileMapping(raw: unknown, options: CompileOptions = {}): CompileResult {
  const { registry, errors: registryErrors } = buildRegistry(options.functions);
  const checked = validateSpec(raw, registry);
  if (!checked.ok || registryErrors.length > 0) return { ok: false, errors: [...registryErrors, ...(checked.ok ? [] : checked.errors)] };
  const { spec } = checked;
  const forward = compileEntries(spec.forward, registry);
  let reverse: Mapper | undefined;
  let reverseFrom: CompiledMapping['reverseFrom'] = 'none';
  let reverseGaps: ReverseGap[] = [];
  if (spec.reverse) {
    reverse = compileEntries(spec.reverse, registry);
    reverseFrom = 'declared';
  } else {
    const derived = deriveReverse(spec.forward, registry);
    reverseGaps = derived.gaps;
    if (derived.entries.length > 0) {
      reverse = compileEntries(derived.entries, registry);
      reverseFrom = 'derived';
    }
  }
  return { ok: true, mapper: { name: spec.name, version: spec.version, forward, reverse, reverseFrom, reverseGaps } };
}

function compileEntries(entries: EntrySpec[], registry: FunctionRegistry): Mapper {
  const runners = entries.map((e) => compileEntry(e, registry));
  const targets = [...new Set(targetsOf(entries))];
  return (record) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return { ok: false, errors: targets.map((field) => ({ field, code: 'invalid_record', message: 'the source record is not an object' })) };
    }
    const out: Record<string, unknown> = {};
    const errors: MappingFieldError[] = [];
    for (const run of runners) run(record as Record<string, unknown>, out, errors);
    return errors.length === 0 ? { ok: true, record: out } : { ok: false, errors };
  };
}

function compileEntry(entry: EntrySpec, registry: FunctionRegistry): Runner {
  if (isGroup(entry)) {
    const when = compileCondition(entry.when);
    const inner = entry.fields.map((e) => compileEntry(e, registry));
    return (record, out, errors) => {
      if (!safeTest(when, record)) return;
      for (const run of inner) run(record, out, errors);
    };
  }
  return compileField(entry, registry);
}

// A predicate only reads through guarded getters, but a mapper must never throw, whatever it is fed.
const safeTest = (p: (r: unknown) => boolean, r: unknown): boolean => {
  try {
    return p(r);
  } catch {
    return false;
  }
};

function compilePipeline(field: FieldSpec, registry: FunctionRegistry): StepFn | undefined {
  const steps = (field.transform ?? []).map((s): StepFn => {
    const fn = registry[s.fn]!;
    const step = fn.compile(s.args, tools);
    return fn.elementwise ? (v, r) => (Array.isArray(v) ? v.map((x) => step(x, r)) : step(v, r)) : step;
  });
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  return (v, r) => {
    for (const step of steps) v = step(v, r);
    return v;
  };
}

function compileField(field: FieldSpec, registry: FunctionRegistry): Runner {
  const target = field.target;
  const get = field.source === undefined ? () => undefined : compilePath(field.source).get;
  const pipeline = compilePipeline(field, registry);
  const scalarConvert = compileConversion(field.type, field.values);
  // A wildcard source yields an array; a scalar type then describes its elements.
  const perElement = scalarConvert && field.source !== undefined && compilePath(field.source).hasWildcard && field.type !== 'array' && field.type !== 'object';
  const convert = perElement ? (v: unknown) => (Array.isArray(v) ? v.map(scalarConvert) : scalarConvert(v)) : scalarConvert;
  const check = compileValidation(field.validate);
  const set = compilePath(target).set;
  const when = field.when && compileCondition(field.when);
  return (record, out, errors) => {
    if (when && !safeTest(when, record)) return;
    try {
      let v = get(record);
      if (pipeline) v = pipeline(v, record);
      if (convert) v = convert(v);
      const bad = check?.(v);
      if (bad) return void errors.push({ field: target, code: bad[0], message: bad[1] });
      if (v === undefined) return;
      // Objects are copied so that the output never aliases (and later writes never mutate) the input.
      if (typeof v === 'object' && v !== null) v = structuredClone(v);
      if (!set(out, v)) errors.push({ field: target, code: 'target_shape', message: `cannot write into ${target}: ${Array.isArray(v) ? 'the path' : 'a wildcard'} needs ${Array.isArray(v) ? 'a matching shape' : 'an array'}` });
    } catch (e) {
      errors.push(e instanceof StepError ? { field: target, code: e.code, message: e.message } : { field: target, code: 'transform_failed', message: e instanceof Error ? e.message : String(e) });
    }
  };
}
