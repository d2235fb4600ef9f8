/**
 * Dotted paths into records: `a.b`, `items[0].email`, `items[*].email` and
 * `column_values[id=email].text`. A path is parsed once, at compile time, into
 * a getter and a setter closure; records are never re-parsed per call.
 *
 * Keys that would reach the prototype chain are refused at parse time, so a
 * mapping can never write `__proto__` into an output object.
 */
export type Token =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wild' }
  | { kind: 'match'; key: string; value: string };

export type Getter = (record: unknown) => unknown;
/** Returns false when the shape in the way cannot hold the value (e.g. a wildcard given a non-array). */
export type Setter = (target: Record<string, unknown>, value: unknown) => boolean;

export interface CompiledPath {
  text: string;
  tokens: Token[];
  hasWildcard: boolean;
  get: Getter;
  set: Setter;
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const KEY = /^[A-Za-z0-9_$@-]+$/;
const MAX_PATH = 300;

/** Parses a path into tokens, or returns the reason it is not one. */
export function parsePath(text: string): Token[] | string {
  if (text.length === 0) return 'path is empty';
  if (text.length > MAX_PATH) return `path is longer than ${MAX_PATH} characters`;
  const tokens: Token[] = [];
  for (const segment of text.split('.')) {
    const m = /^([^[\]]*)((?:\[[^\]]*\])*)$/.exec(segment);
    if (!m) return `malformed segment "${segment}"`;
    const [, key = '', brackets = ''] = m;
    // Records are objects, so every segment starts with a key; brackets only follow one.
    if (key === '') return `empty key in "${text}"`;
    if (!KEY.test(key)) return `key "${key}" may only hold letters, digits, _ $ @ -`;
    if (FORBIDDEN.has(key)) return `key "${key}" is not allowed`;
    tokens.push({ kind: 'key', key });
    for (const b of brackets.match(/\[[^\]]*\]/g) ?? []) {
      const inner = b.slice(1, -1);
      if (inner === '*') tokens.push({ kind: 'wild' });
      else if (/^\d{1,6}$/.test(inner)) tokens.push({ kind: 'index', index: Number(inner) });
      else {
        const eq = /^([A-Za-z0-9_$@-]+)=(.{1,100})$/.exec(inner);
        if (!eq || FORBIDDEN.has(eq[1]!)) return `bracket "${b}" must be [n], [*] or [key=value]`;
        tokens.push({ kind: 'match', key: eq[1]!, value: eq[2]! });
      }
    }
  }
  return tokens;
}

/** zod-friendly check: undefined when the path is valid, else the reason. */
export function pathProblem(text: string): string | undefined {
  const parsed = parsePath(text);
  return typeof parsed === 'string' ? parsed : undefined;
}

export function compilePath(text: string): CompiledPath {
  const tokens = parsePath(text);
  if (typeof tokens === 'string') throw new Error(`invalid path "${text}": ${tokens}`);
  return { text, tokens, hasWildcard: tokens.some((t) => t.kind === 'wild'), get: getter(tokens, 0), set: setter(tokens, 0) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Inherited members (toString, …) are functions; JSON never holds one, so a function means "not there".
const own = (v: unknown): unknown => (typeof v === 'function' ? undefined : v);

function getter(tokens: Token[], from: number): Getter {
  if (from >= tokens.length) return (v) => v;
  const t = tokens[from]!;
  const next = t.kind !== 'key' && from + 1 < tokens.length ? getter(tokens, from + 1) : undefined;
  switch (t.kind) {
    case 'key': {
      const key = t.key;
      // A run of plain keys is the common case; read it without closure hops.
      const keys = [key];
      let i = from + 1;
      for (; i < tokens.length && tokens[i]!.kind === 'key'; i++) keys.push((tokens[i] as { key: string }).key);
      const rest = i < tokens.length ? getter(tokens, i) : undefined;
      if (keys.length === 1 && !rest) return (v) => (isObject(v) ? own(v[key]) : undefined);
      if (keys.length === 2 && !rest) {
        const k2 = keys[1]!;
        return (v) => {
          if (!isObject(v)) return undefined;
          const a = v[key];
          return isObject(a) ? own(a[k2]) : undefined;
        };
      }
      return (v) => {
        let cur = v;
        for (const k of keys) {
          if (!isObject(cur)) return undefined;
          cur = own(cur[k]);
        }
        return rest ? rest(cur) : cur;
      };
    }
    case 'index': {
      const index = t.index;
      return (v) => (Array.isArray(v) ? (next ? next(v[index]) : v[index]) : undefined);
    }
    case 'wild':
      return (v) => (Array.isArray(v) ? (next ? v.map(next) : v.slice()) : undefined);
    case 'match': {
      const { key, value } = t;
      return (v) => {
        if (!Array.isArray(v)) return undefined;
        const hit = v.find((el) => isObject(el) && el[key] !== undefined && String(el[key]) === value);
        return next ? next(hit) : hit;
      };
    }
  }
}

/** The container a token needs to live in: arrays for [n]/[*]/[k=v], objects for keys. */
const containerFor = (t: Token): Record<string, unknown> | unknown[] => (t.kind === 'key' ? {} : []);

function setter(tokens: Token[], from: number): Setter {
  const t = tokens[from]!;
  const last = from === tokens.length - 1;
  const nextToken = tokens[from + 1];
  const next = last ? undefined : setter(tokens, from + 1);
  // Descends into (or creates) the child slot, then hands over to the rest of the path.
  const into = (holder: any, slot: string | number, value: unknown): boolean => {
    if (last) {
      holder[slot] = value;
      return true;
    }
    let child = holder[slot];
    const wantArray = nextToken!.kind !== 'key';
    if (wantArray ? !Array.isArray(child) : !isObject(child)) holder[slot] = child = containerFor(nextToken!);
    return next!(child, value);
  };
  switch (t.kind) {
    case 'key':
      return (target, value) => (isObject(target) ? into(target, t.key, value) : false);
    case 'index':
      return (target, value) => {
        if (!Array.isArray(target)) return false;
        while (target.length < t.index) target.push(null);
        return into(target, t.index, value);
      };
    case 'wild':
      return (target, value) => {
        if (!Array.isArray(target) || !Array.isArray(value)) return false;
        let ok = true;
        value.forEach((v, i) => {
          ok = into(target, i, v) && ok;
        });
        return ok;
      };
    case 'match':
      return (target, value) => {
        if (!Array.isArray(target)) return false;
        let i = target.findIndex((el) => isObject(el) && el[t.key] !== undefined && String(el[t.key]) === t.value);
        if (i < 0) i = target.push(last ? undefined : { [t.key]: t.value }) - 1;
        return into(target, i, value);
      };
  }
}
