import { sfError, type SfError } from './errors.ts';
import { fieldDef, objectDef, type FieldDef, type ObjectDef } from './schema.ts';
import { to18 } from './ids.ts';
import type { Rec, SfStore } from './store.ts';
import { parseSoql, type Cond, type Literal, type Soql } from './soql.ts';

/**
 * Runs a parsed SOQL statement over the store. Field names resolve
 * case-insensitively to their canonical spelling; a literal of the wrong
 * kind for its field fails the way Salesforce does (INVALID_FIELD).
 */
export interface QueryRun {
  obj: ObjectDef;
  fields: string[];
  count: boolean;
  rows: Rec[];
  totalSize: number;
}

const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);

const noColumn = (obj: ObjectDef, name: string): SfError => sfError('INVALID_FIELD',
  `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);

export function runSoql(store: SfStore, soql: string, includeDeleted: boolean): QueryRun | SfError {
  const q = parseSoql(soql);
  if ('errorCode' in q) return q;
  const obj = objectDef(q.object);
  if (!obj) return sfError('INVALID_TYPE', `sObject type '${q.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  const fields: string[] = [];
  for (const name of q.fields) {
    const fd = fieldDef(obj, name);
    if (!fd) return name.includes('.') ? sfError('INVALID_FIELD', `Didn't understand relationship '${name.split('.')[0]}' in field path.`) : noColumn(obj, name);
    if (fields.includes(fd.name)) return sfError('MALFORMED_QUERY', `duplicate field selected: ${fd.name}`);
    fields.push(fd.name);
  }
  const check = q.where ? checkCond(obj, q.where) : undefined;
  if (check) return check;
  for (const o of q.orderBy) if (!fieldDef(obj, o.field)) return noColumn(obj, o.field);
  if (q.offset !== undefined && q.offset > 2000) return sfError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');

  let rows = [...store.table(obj.name).values()].filter((r) => (includeDeleted || r.IsDeleted !== true) && (!q.where || matches(obj, r, q.where)));
  rows = sortRows(obj, rows, q);
  const start = q.offset ?? 0;
  rows = rows.slice(start, q.limit === undefined ? undefined : start + q.limit);
  return { obj, fields, count: q.count, rows: q.count ? [] : rows, totalSize: rows.length };
}

function checkCond(obj: ObjectDef, c: Cond): SfError | undefined {
  if (c.kind === 'and' || c.kind === 'or') {
    for (const p of c.parts) {
      const e = checkCond(obj, p);
      if (e) return e;
    }
    return undefined;
  }
  if (c.kind === 'not') return checkCond(obj, c.part);
  const fd = fieldDef(obj, c.field);
  if (!fd) return noColumn(obj, c.field);
  for (const v of c.values) {
    const want = expectedKind(fd);
    if (v.kind === 'null' || v.kind === want) continue;
    if (want === 'string' && v.kind !== 'string') return sfError('INVALID_FIELD', `value of filter criterion for field '${fd.name}' must be of type string and should be enclosed in quotes`);
    const typeName = want === 'datetime' ? 'dateTime' : want === 'number' ? 'double' : want;
    return sfError('INVALID_FIELD', `value of filter criterion for field '${fd.name}' must be of type ${typeName} and should not be enclosed in quotes`);
  }
  return undefined;
}

function expectedKind(fd: FieldDef): Literal['kind'] {
  if (fd.type === 'datetime') return 'datetime';
  if (fd.type === 'date') return 'date';
  if (fd.type === 'boolean') return 'boolean';
  if (NUMERIC.has(fd.type)) return 'number';
  return 'string';
}

/** Comparable form of a stored value: epoch ms for datetimes, lower case for text, 18-char ids. */
function norm(fd: FieldDef, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (fd.type === 'datetime') return Date.parse(String(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (fd.type === 'id' || fd.type === 'reference') return to18(String(v)) ?? String(v).toLowerCase();
  if (typeof v === 'string') return v.toLowerCase();
  return v as number | boolean;
}

function litValue(fd: FieldDef, l: Literal): string | number | boolean | null {
  switch (l.kind) {
    case 'null': return null;
    case 'datetime': return l.value;
    case 'string': return norm(fd, l.value);
    default: return l.value;
  }
}

function matches(obj: ObjectDef, r: Rec, c: Cond): boolean {
  if (c.kind === 'and') return c.parts.every((p) => matches(obj, r, p));
  if (c.kind === 'or') return c.parts.some((p) => matches(obj, r, p));
  if (c.kind === 'not') return !matches(obj, r, c.part);
  const fd = fieldDef(obj, c.field)!;
  const left = norm(fd, r[fd.name]);
  const rights = c.values.map((v) => litValue(fd, v));
  const right = rights[0] ?? null;
  switch (c.op) {
    case '=': return left === right;
    case '!=': return left !== right;
    case 'IN': return rights.includes(left);
    case 'NOT IN': return !rights.includes(left);
    case 'LIKE': return typeof left === 'string' && typeof right === 'string' && likeToRegex(right).test(left);
    default:
      if (left === null || right === null) return false;
      if (c.op === '<') return left < right;
      if (c.op === '<=') return left <= right;
      if (c.op === '>') return left > right;
      return left >= right;
  }
}

function likeToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function sortRows(obj: ObjectDef, rows: Rec[], q: Soql): Rec[] {
  if (q.orderBy.length === 0) return rows;
  const keys = q.orderBy.map((o) => ({ ...o, fd: fieldDef(obj, o.field)! }));
  return rows.sort((a, b) => {
    for (const k of keys) {
      const x = norm(k.fd, a[k.fd.name]);
      const y = norm(k.fd, b[k.fd.name]);
      if (x === y) continue;
      if (x === null) return k.nullsLast ? 1 : -1;
      if (y === null) return k.nullsLast ? -1 : 1;
      const cmp = x < y ? -1 : 1;
      return k.desc ? -cmp : cmp;
    }
    return 0;
  });
}
