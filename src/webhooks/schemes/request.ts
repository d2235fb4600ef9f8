/**
 * Reading what a verifier needs from a request: headers (already lower-cased
 * by ingest), the JSON or form body, and dotted paths into it.
 */
import type { WebhookRequest } from './types.ts';

/** First non-empty header among `names` (checked in order), trimmed. */
export function header(req: WebhookRequest, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = req.headers[name.toLowerCase()];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** The parsed body ingest handed over, or a parse of the raw bytes; undefined when it is not JSON. */
export function jsonOf(req: WebhookRequest, body: unknown): unknown {
  if (body !== undefined) return body;
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch (_err) {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of an object, or undefined (numbers are stringified: ids are often numeric). */
export function stringField(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  if (typeof field === 'string') return field;
  if (typeof field === 'number' && Number.isFinite(field)) return String(field);
  return undefined;
}

/** Follows a dotted path (`event.type`) or a JSON pointer (`/event/type`). */
export function valueAt(value: unknown, path: string): unknown {
  const steps = path.startsWith('/')
    ? path.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    : path.split('.');
  let cursor: unknown = value;
  for (const step of steps) {
    if (Array.isArray(cursor) && /^\d+$/.test(step)) cursor = cursor[Number(step)];
    else if (isRecord(cursor)) cursor = cursor[step];
    else return undefined;
  }
  return cursor;
}

export function isFormEncoded(req: WebhookRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
