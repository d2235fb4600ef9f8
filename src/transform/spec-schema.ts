import { z } from 'zod';
import { formatPath, type SpecError } from './errors.ts';
import type { FunctionRegistry } from './functions/types.ts';
import { pathArg, scalar } from './functions/types.ts';
import { regexProblem } from './regex-guard.ts';
import { FIELD_TYPES, type Condition, type EntrySpec, type FieldSpec, type MappingSpec, type ParsedStep } from './spec.ts';

/**
 * Checks a spec (already parsed from YAML/JSON) and collects every problem
 * with its path, instead of stopping at the first. Leaves are zod schemas;
 * entries and conditions are walked by hand so that a group or a nested
 * condition reports the exact path of the culprit rather than "no union
 * branch matched".
 */
const MAX_DEPTH = 12;

const entryList = z.array(z.unknown()).max(1000);
const topSchema = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  fields: entryList.min(1).optional(),
  forward: entryList.min(1).optional(),
  reverse: entryList.optional(),
});

const validateSchema = z
  .strictObject({
    required: z.boolean().optional(),
    regex: z.string().superRefine((p, ctx) => {
      const problem = regexProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    enum: z.array(scalar).min(1).max(1000).optional(),
  })
  .refine((v) => v.min === undefined || v.max === undefined || v.min <= v.max, { message: 'min is greater than max', path: ['min'] })
  .refine((v) => v.minLength === undefined || v.maxLength === undefined || v.minLength <= v.maxLength, { message: 'minLength is greater than maxLength', path: ['minLength'] });

const fieldSchema = z
  .strictObject({
    source: pathArg.optional(),
    target: pathArg,
    type: z.enum(FIELD_TYPES).optional(),
    values: z.array(scalar).min(1).max(1000).optional(),
    transform: z.array(z.unknown()).max(50).optional(),
    when: z.unknown().optional(),
    validate: validateSchema.optional(),
  })
  .refine((f) => f.source !== undefined || (f.transform?.length ?? 0) > 0, { message: 'a field needs a `source` or a `transform` that produces its value', path: ['source'] })
  .refine((f) => (f.type === 'enum') === (f.values !== undefined), { message: 'an `enum` field lists its `values` (and only enum fields do)', path: ['values'] });

const groupSchema = z.strictObject({ when: z.unknown(), fields: z.array(z.unknown()).min(1).max(1000) });

const stepSchema = z.union([z.string().min(1), z.strictObject({ fn: z.string().min(1), args: z.record(z.string(), z.unknown()).optional() })]);

const leafSchema = z
  .strictObject({ path: pathArg, eq: scalar.optional(), neq: scalar.optional(), in: z.array(scalar).min(1).max(1000).optional(), exists: z.boolean().optional() })
  .refine((c) => ['eq', 'neq', 'in', 'exists'].filter((k) => k in c).length === 1, { message: 'a condition has exactly one of eq, neq, in, exists' });

type Errors = SpecError[];

function zodInto<T>(schema: z.ZodType<T>, value: unknown, at: (string | number)[], errors: Errors): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const base = [...at, ...(issue.path as (string | number)[])];
    // An unknown key is reported at the key itself, which is where the user must look.
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) errors.push({ path: formatPath([...base, key]), message: 'unknown key' });
    else errors.push({ path: formatPath(base), message: issue.message });
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkCondition(raw: unknown, at: (string | number)[], depth: number, errors: Errors): Condition | undefined {
  if (depth > MAX_DEPTH) return void errors.push({ path: formatPath(at), message: `conditions nest deeper than ${MAX_DEPTH}` });
  if (!isObject(raw)) return void errors.push({ path: formatPath(at), message: 'a condition is an object' });
  for (const op of ['and', 'or'] as const) {
    if (!(op in raw)) continue;
    if (Object.keys(raw).length !== 1) return void errors.push({ path: formatPath(at), message: `\`${op}\` stands alone in its object` });
    const list = raw[op];
    if (!Array.isArray(list) || list.length === 0 || list.length > 50) return void errors.push({ path: formatPath([...at, op]), message: `\`${op}\` takes a list of 1 to 50 conditions` });
    const parts = list.map((c, i) => checkCondition(c, [...at, op, i], depth + 1, errors));
    return parts.every((p) => p !== undefined) ? ({ [op]: parts } as Condition) : undefined;
  }
  if ('not' in raw) {
    if (Object.keys(raw).length !== 1) return void errors.push({ path: formatPath(at), message: '`not` stands alone in its object' });
    const inner = checkCondition(raw.not, [...at, 'not'], depth + 1, errors);
    return inner && { not: inner };
  }
  return zodInto(leafSchema, raw, at, errors) as Condition | undefined;
}

function checkStep(raw: unknown, at: (string | number)[], registry: FunctionRegistry, errors: Errors): ParsedStep | undefined {
  const step = zodInto(stepSchema, raw, at, errors);
  if (step === undefined) return undefined;
  const name = typeof step === 'string' ? step : step.fn;
  const fnAt = typeof step === 'string' ? at : [...at, 'fn'];
  const fn = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!fn) return void errors.push({ path: formatPath(fnAt), message: `unknown function "${name}"; known: ${Object.keys(registry).join(', ')}` });
  const args = zodInto(fn.args, typeof step === 'string' ? {} : (step.args ?? {}), [...at, 'args'], errors);
  return args === undefined ? undefined : { fn: name, args: args as Record<string, unknown> };
}

function checkEntry(raw: unknown, at: (string | number)[], depth: number, registry: FunctionRegistry, errors: Errors): EntrySpec | undefined {
  if (depth > MAX_DEPTH) return void errors.push({ path: formatPath(at), message: `groups nest deeper than ${MAX_DEPTH}` });
  if (isObject(raw) && 'fields' in raw) {
    const g = zodInto(groupSchema, raw, at, errors);
    if (!g) return undefined;
    const when = checkCondition(g.when, [...at, 'when'], 0, errors);
    const fields = checkEntries(g.fields, [...at, 'fields'], depth + 1, registry, errors);
    return when && fields ? { when, fields } : undefined;
  }
  const f = zodInto(fieldSchema, raw, at, errors);
  if (!f) return undefined;
  const when = f.when === undefined ? undefined : checkCondition(f.when, [...at, 'when'], 0, errors);
  const steps = (f.transform ?? []).map((s, i) => checkStep(s, [...at, 'transform', i], registry, errors));
  if ((f.when !== undefined && !when) || steps.some((s) => s === undefined)) return undefined;
  const out: FieldSpec = { target: f.target };
  if (f.source !== undefined) out.source = f.source;
  if (f.type !== undefined) out.type = f.type;
  if (f.values !== undefined) out.values = f.values;
  if (steps.length > 0) out.transform = steps as ParsedStep[];
  if (when) out.when = when;
  if (f.validate !== undefined) out.validate = f.validate;
  return out;
}

function checkEntries(list: unknown[], at: (string | number)[], depth: number, registry: FunctionRegistry, errors: Errors): EntrySpec[] | undefined {
  const entries = list.map((e, i) => checkEntry(e, [...at, i], depth, registry, errors));
  return entries.every((e) => e !== undefined) ? (entries as EntrySpec[]) : undefined;
}

export type SpecResult = { ok: true; spec: MappingSpec } | { ok: false; errors: SpecError[] };

export function validateSpec(raw: unknown, registry: FunctionRegistry): SpecResult {
  const errors: Errors = [];
  const top = zodInto(topSchema, raw, [], errors);
  // Checked by hand so it is reported alongside other top-level problems (a zod refine would wait for them).
  if (isObject(raw) && (raw.fields === undefined) === (raw.forward === undefined)) {
    errors.push({ path: 'fields', message: 'give `fields` or `forward` (the same thing), exactly one' });
  }
  if (!top || errors.length > 0) {
    // Still walk the entries we can reach, so one pass reports every problem.
    if (isObject(raw)) for (const key of ['fields', 'forward', 'reverse']) if (Array.isArray(raw[key])) checkEntries(raw[key], [key], 0, registry, errors);
    return { ok: false, errors };
  }
  const forwardKey = top.fields ? 'fields' : 'forward';
  const forward = checkEntries((top.fields ?? top.forward)!, [forwardKey], 0, registry, errors);
  const reverse = top.reverse && checkEntries(top.reverse, ['reverse'], 0, registry, errors);
  if (errors.length > 0 || !forward) return { ok: false, errors };
  const spec: MappingSpec = { version: top.version, name: top.name, forward, forwardKey };
  if (top.description !== undefined) spec.description = top.description;
  if (reverse) spec.reverse = reverse;
  return { ok: true, spec };
}
