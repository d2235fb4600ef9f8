import { z } from 'zod';
import { StepError, describe } from '../errors.ts';
import { asText } from './text.ts';
import { defineFunction, isAbsent, noArgs, pathArg, scalar, type CompileTools } from './types.ts';

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '';

export const defaultValue = defineFunction({
  summary: 'Replaces a missing value (undefined, null, and "" unless `emptyString: false`) with `value`.',
  args: z.strictObject({ value: z.json(), emptyString: z.boolean().default(true) }),
  compile: ({ value, emptyString }) => (v) => (isAbsent(v) || (emptyString && v === '') ? structuredClone(value) : v),
});

/** `{ path }` reads another source field; `{ value }` is a literal. */
const operand = z.union([z.strictObject({ path: pathArg }), z.strictObject({ value: scalar })]);
type Operand = z.output<typeof operand>;

const operandGetter = (o: Operand, t: CompileTools): ((record: unknown) => unknown) => {
  if ('path' in o) return t.path(o.path);
  const literal = o.value;
  return () => literal;
};

export const concat = defineFunction({
  summary: 'Joins the current value and each part (`{path}` or `{value}`) with `separator`, skipping empty ones.',
  args: z.strictObject({ parts: z.array(operand).min(1).max(20), separator: z.string().max(20).default(''), skipEmpty: z.boolean().default(true) }),
  compile: ({ parts, separator, skipEmpty }, t) => {
    const getters = parts.map((p) => operandGetter(p, t));
    return (v, record) => {
      const out: string[] = [];
      const add = (x: unknown): void => {
        if (isEmpty(x)) {
          if (!skipEmpty) out.push('');
        } else out.push(asText(x, 'concat'));
      };
      add(v);
      for (const g of getters) add(g(record));
      return out.join(separator);
    };
  },
});

export const template = defineFunction({
  summary: 'Renders "{{first}} {{last}}" from source paths; {{$}} is the current value; missing values render empty.',
  args: z.strictObject({
    template: z
      .string()
      .max(2000)
      .superRefine((text, ctx) => {
        const problem = parseTemplate(text);
        if (typeof problem === 'string') ctx.addIssue({ code: 'custom', message: problem });
      }),
    trim: z.boolean().default(true),
  }),
  compile: ({ template: text, trim }, t) => {
    const parts = parseTemplate(text) as (string | { path: string })[];
    const pieces = parts.map((p) => (typeof p === 'string' ? p : p.path === '$' ? CURRENT : t.path(p.path)));
    return (v, record) => {
      let out = '';
      for (const p of pieces) {
        if (typeof p === 'string') out += p;
        else out += renderSlot(p === CURRENT ? v : p(record));
      }
      return trim ? out.trim() : out;
    };
  },
});

const CURRENT = Symbol('current value');

function renderSlot(v: unknown): string {
  if (isAbsent(v)) return '';
  if (typeof v === 'object') throw new StepError('not_text', `template slot holds ${describe(v)}`);
  return String(v);
}

/** Literal text and `{{path}}` slots, or the reason the template is malformed. */
export function parseTemplate(text: string): (string | { path: string })[] | string {
  const out: (string | { path: string })[] = [];
  const re = /\{\{\s*([^{}]*?)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const path = m[1]!;
    if (path !== '$') {
      const problem = checkPath(path);
      if (problem) return `slot "{{${path}}}": ${problem}`;
    }
    out.push({ path });
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  if (out.some((p) => typeof p === 'string' && /\{\{|\}\}/.test(p))) return 'unbalanced {{ }}';
  return out;
}

const checkPath = (p: string): string | undefined => {
  const r = pathArg.safeParse(p);
  return r.success ? undefined : r.error.issues[0]?.message;
};

export const coalesce = defineFunction({
  summary: 'The first non-empty of the current value and the values at `paths`.',
  args: z.strictObject({ paths: z.array(pathArg).min(1).max(20) }),
  compile: ({ paths }, t) => {
    const getters = paths.map((p) => t.path(p));
    return (v, record) => {
      if (!isEmpty(v)) return v;
      for (const g of getters) {
        const x = g(record);
        if (!isEmpty(x)) return x;
      }
      return undefined;
    };
  },
});

export const get = defineFunction({
  summary: 'Reads `path` inside the current value (e.g. after json_parse).',
  args: z.strictObject({ path: pathArg }),
  compile: ({ path }, t) => {
    const g = t.path(path);
    return (v) => g(v);
  },
});

const MAX_JSON = 1_000_000;

export const jsonParse = defineFunction({
  summary: 'Parses a JSON string (Monday column `value`s are JSON strings); other values pass through.',
  args: noArgs,
  compile: () => (v) => {
    if (typeof v !== 'string') return v;
    if (v === '') return undefined;
    if (v.length > MAX_JSON) throw new StepError('invalid_json', `JSON text is longer than ${MAX_JSON} characters`);
    try {
      return JSON.parse(v) as unknown;
    } catch (e) {
      throw new StepError('invalid_json', `not JSON: ${(e as Error).message}`);
    }
  },
});
