import { sfError, type SfError } from './errors.ts';

/**
 * A parser for the SOQL subset the fake answers:
 *   SELECT f, ... | COUNT() FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
 * where cond combines `f op value`, `f [NOT] IN (...)`, `f LIKE '...'` with AND, OR, NOT and parentheses.
 * Errors carry Salesforce's MALFORMED_QUERY text layout (caret, row and column).
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'date'; value: string };

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN';

export type Cond =
  | { kind: 'cmp'; field: string; op: Op; values: Literal[] }
  | { kind: 'and'; parts: Cond[] }
  | { kind: 'or'; parts: Cond[] }
  | { kind: 'not'; part: Cond };

export interface OrderItem { field: string; desc: boolean; nullsLast: boolean }

export interface Soql {
  count: boolean;
  fields: string[];
  object: string;
  where?: Cond;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

interface Token { type: 'word' | 'string' | 'number' | 'datetime' | 'date' | 'punct' | 'eof'; text: string; pos: number }

const TOKEN = /\s*(?:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))|(\d{4}-\d{2}-\d{2})(?![\d:T])|(-?\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_.]*)|(!=|<>|<=|>=|[=<>(),]))/y;

function tokenize(src: string): Token[] | SfError {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) return malformed(src, pos + (src.slice(pos).length - src.slice(pos).trimStart().length), `unexpected token: '${src.slice(pos).trim().split(/\s/)[0]}'`);
    const start = m.index + m[0].length - m[0].trimStart().length;
    const [, dt, d, num, str, word] = m;
    const type = dt ? 'datetime' : d ? 'date' : num ? 'number' : str ? 'string' : word ? 'word' : 'punct';
    out.push({ type, text: m[0].trim(), pos: start });
    pos = TOKEN.lastIndex;
  }
  out.push({ type: 'eof', text: '<EOF>', pos: src.length });
  return out;
}

function malformed(src: string, pos: number, what: string): SfError {
  return sfError('MALFORMED_QUERY', `${src}\n${' '.repeat(pos)}^\nERROR at Row:1:Column:${pos + 1}\n${what}`);
}

class ParseError extends Error {
  readonly sf: SfError;
  constructor(sf: SfError) {
    super(sf.message);
    this.sf = sf;
  }
}

export function parseSoql(src: string): Soql | SfError {
  const tokens = tokenize(src);
  if (!Array.isArray(tokens)) return tokens;
  let i = 0;
  const peek = (): Token => tokens[i] ?? tokens[tokens.length - 1]!;
  const next = (): Token => tokens[i++] ?? tokens[tokens.length - 1]!;
  const isKw = (kw: string, t = peek()): boolean => t.type === 'word' && t.text.toUpperCase() === kw;
  const fail = (t: Token): never => {
    throw new ParseError(malformed(src, t.pos, `unexpected token: ${t.type === 'eof' ? '<EOF>' : `'${t.text}'`}`));
  };
  const expectKw = (kw: string): void => {
    if (!isKw(kw)) fail(peek());
    i += 1;
  };
  const expectPunct = (p: string): void => {
    const t = next();
    if (t.type !== 'punct' || t.text !== p) fail(t);
  };
  const field = (): string => {
    const t = next();
    if (t.type !== 'word') fail(t);
    return t.text;
  };

  const literal = (): Literal => {
    const t = next();
    if (t.type === 'string') return { kind: 'string', value: t.text.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)) };
    if (t.type === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.type === 'datetime') return { kind: 'datetime', value: Date.parse(t.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')), text: t.text };
    if (t.type === 'date') return { kind: 'date', value: t.text };
    if (t.type === 'word') {
      const u = t.text.toUpperCase();
      if (u === 'TRUE' || u === 'FALSE') return { kind: 'boolean', value: u === 'TRUE' };
      if (u === 'NULL') return { kind: 'null' };
    }
    return fail(t);
  };

  const condition = (): Cond => {
    if (isKw('NOT')) {
      i += 1;
      return { kind: 'not', part: condition() };
    }
    if (peek().type === 'punct' && peek().text === '(') {
      i += 1;
      const inner = orExpr();
      expectPunct(')');
      return inner;
    }
    const name = field();
    const t = next();
    if (t.type === 'punct' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.text)) {
      return { kind: 'cmp', field: name, op: (t.text === '<>' ? '!=' : t.text) as Op, values: [literal()] };
    }
    if (isKw('LIKE', t)) return { kind: 'cmp', field: name, op: 'LIKE', values: [literal()] };
    let op: Op = 'IN';
    if (isKw('NOT', t)) {
      op = 'NOT IN';
      if (!isKw('IN')) fail(peek());
      i += 1;
    } else if (!isKw('IN', t)) fail(t);
    expectPunct('(');
    const values = [literal()];
    while (peek().text === ',') {
      i += 1;
      values.push(literal());
    }
    expectPunct(')');
    return { kind: 'cmp', field: name, op, values };
  };
  const andExpr = (): Cond => {
    const parts = [condition()];
    while (isKw('AND')) {
      i += 1;
      parts.push(condition());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  };
  const orExpr = (): Cond => {
    const parts = [andExpr()];
    while (isKw('OR')) {
      i += 1;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  };
  const integer = (): number => {
    const t = next();
    if (t.type !== 'number' || !/^\d+$/.test(t.text)) fail(t);
    return Number(t.text);
  };

  try {
    expectKw('SELECT');
    const q: Soql = { count: false, fields: [], object: '', orderBy: [] };
    if (isKw('COUNT') && tokens[i + 1]?.text === '(') {
      i += 2;
      expectPunct(')');
      q.count = true;
    } else {
      q.fields.push(field());
      while (peek().text === ',') {
        i += 1;
        q.fields.push(field());
      }
    }
    expectKw('FROM');
    q.object = field();
    if (isKw('WHERE')) {
      i += 1;
      q.where = orExpr();
    }
    if (isKw('ORDER')) {
      i += 1;
      expectKw('BY');
      do {
        if (peek().text === ',') i += 1;
        const item: OrderItem = { field: field(), desc: false, nullsLast: false };
        if (isKw('ASC') || isKw('DESC')) item.desc = next().text.toUpperCase() === 'DESC';
        item.nullsLast = item.desc;
        if (isKw('NULLS')) {
          i += 1;
          const t = next();
          if (!isKw('FIRST', t) && !isKw('LAST', t)) fail(t);
          item.nullsLast = t.text.toUpperCase() === 'LAST';
        }
        q.orderBy.push(item);
      } while (peek().text === ',');
    }
    if (isKw('LIMIT')) {
      i += 1;
      q.limit = integer();
    }
    if (isKw('OFFSET')) {
      i += 1;
      q.offset = integer();
    }
    if (peek().type !== 'eof') fail(peek());
    return q;
  } catch (err) {
    if (err instanceof ParseError) return err.sf;
    throw err;
  }
}
