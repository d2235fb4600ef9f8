import { sfError, type SfError } from './errors.ts';
import { fieldDef, type FieldDef, type ObjectDef } from './schema.ts';
import type { Rec } from './store.ts';
import { to18 } from './ids.ts';

/**
 * Checks an API payload against the object's fields the way the REST API
 * does: unknown names, read-only fields, type mismatches and (on create)
 * missing required fields each get Salesforce's own error code.
 */
export function validateWrite(obj: ObjectDef, input: Rec, mode: 'create' | 'update'): { values: Rec } | SfError {
  const values: Rec = {};
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'attributes') continue;
    if (mode === 'update' && key.toLowerCase() === 'id') continue;
    const fd = fieldDef(obj, key);
    if (!fd) return sfError('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [key]);
    if (fd.readOnly) {
      readOnly.push(fd.name);
      continue;
    }
    const coerced = coerce(fd, raw);
    if (typeof coerced === 'object' && coerced !== null && 'errorCode' in coerced) return coerced as SfError;
    values[fd.name] = coerced;
  }
  if (readOnly.length > 0) {
    return sfError('INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, readOnly);
  }
  if (mode === 'create') {
    const missing = obj.fields.filter((fd) => fd.required && (values[fd.name] === undefined || values[fd.name] === null || values[fd.name] === '')).map((fd) => fd.name);
    if (missing.length > 0) return sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  } else {
    const cleared = obj.fields.filter((fd) => fd.required && (values[fd.name] === null || values[fd.name] === '')).map((fd) => fd.name);
    if (cleared.length > 0) return sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${cleared.join(', ')}]`, cleared);
  }
  return { values };
}

function coerce(fd: FieldDef, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  const bad = (): SfError => sfError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${fd.type} from value ${JSON.stringify(raw)} for field ${fd.name}`, [fd.name]);
  switch (fd.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      return bad();
    case 'double': case 'currency': case 'percent': case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return bad();
      return fd.type === 'int' ? Math.trunc(n) : n;
    }
    case 'date':
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return bad();
      return raw;
    case 'datetime':
      if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) return bad();
      return new Date(raw).toISOString().replace('Z', '+0000');
    case 'reference': case 'id': {
      const id = typeof raw === 'string' ? to18(raw) : undefined;
      if (!id) return sfError('MALFORMED_ID', `${fd.label}: id value of incorrect type: ${String(raw)}`, [fd.name]);
      return id;
    }
    case 'email':
      if (typeof raw !== 'string') return bad();
      if (raw !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw)) return sfError('INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${raw}`, [fd.name]);
      return raw;
    default:
      if (typeof raw === 'object') return bad();
      return String(raw);
  }
}

/** A record as the REST API returns it: `attributes` first, then fields. */
export function present(obj: ObjectDef, rec: Rec, base: string, fields?: string[]): Rec {
  const out: Rec = { attributes: { type: obj.name, url: `${base}/sobjects/${obj.name}/${String(rec.Id)}` } };
  const names = fields ?? obj.fields.map((fd) => fd.name);
  for (const n of names) out[n] = rec[n] ?? null;
  return out;
}
