import { randomUUID } from 'node:crypto';

/**
 * The CloudEvents 1.0 envelope every bus carries. `tenant` and `traceparent`
 * are extension attributes (lower-case alphanumerics, as the spec requires),
 * so any CloudEvents-aware consumer can read them without knowing Switchyard.
 */
export interface CloudEvent<T = unknown> {
  id: string;
  type: string;
  source: string;
  specversion: '1.0';
  /** RFC 3339 timestamp. */
  time: string;
  subject?: string;
  datacontenttype: string;
  data: T;
  tenant: string;
  /** W3C trace context of the change that produced the event. */
  traceparent?: string;
}

export interface NewEvent<T> {
  type: string;
  tenant: string;
  data: T;
  source?: string;
  subject?: string;
  id?: string;
  time?: Date | string;
  traceparent?: string;
}

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';

export function createEvent<T>(init: NewEvent<T>): CloudEvent<T> {
  const event: CloudEvent<T> = {
    id: init.id ?? `evt_${randomUUID()}`,
    type: init.type,
    source: init.source ?? '/switchyard',
    specversion: '1.0',
    time: init.time === undefined ? new Date().toISOString() : new Date(init.time).toISOString(),
    datacontenttype: 'application/json',
    data: init.data,
    tenant: init.tenant,
  };
  if (init.subject !== undefined) event.subject = init.subject;
  if (init.traceparent !== undefined) event.traceparent = init.traceparent;
  return event;
}

export class EnvelopeError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'EnvelopeError';
  }
}

const REQUIRED = ['id', 'type', 'source', 'specversion', 'time', 'tenant'] as const;

/** Checks a parsed value is an envelope this hub can handle; throws EnvelopeError naming the fault. */
export function assertEnvelope(value: unknown): asserts value is CloudEvent {
  if (value === null || typeof value !== 'object') throw new EnvelopeError('event is not an object');
  const v = value as Record<string, unknown>;
  for (const attr of REQUIRED) {
    if (typeof v[attr] !== 'string' || v[attr] === '') throw new EnvelopeError(`event attribute "${attr}" is missing or not a string`);
  }
  if (v.specversion !== '1.0') throw new EnvelopeError(`unsupported specversion ${String(v.specversion)}`);
  if (v.subject !== undefined && typeof v.subject !== 'string') throw new EnvelopeError('event attribute "subject" is not a string');
  if (v.traceparent !== undefined && typeof v.traceparent !== 'string') throw new EnvelopeError('event attribute "traceparent" is not a string');
}

/** Structured mode: the whole envelope as one JSON document. */
export function serializeEvent(event: CloudEvent): string {
  return JSON.stringify(event);
}

export function deserializeEvent(raw: string | Buffer | Uint8Array): CloudEvent {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new EnvelopeError('event is not valid JSON', { cause: err });
  }
  assertEnvelope(parsed);
  if (typeof parsed.datacontenttype !== 'string') parsed.datacontenttype = 'application/json';
  return parsed;
}

/**
 * Binary mode (CloudEvents protocol bindings for Kafka and AMQP): attributes
 * travel as `ce_`-prefixed headers and the body is the data alone. Used where
 * brokers route or compact on headers without parsing bodies.
 */
export function toBinary(event: CloudEvent): { headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = { 'content-type': event.datacontenttype };
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'datacontenttype' || value === undefined) continue;
    headers[`ce_${name}`] = String(value);
  }
  return { headers, body: Buffer.from(JSON.stringify(event.data ?? null)) };
}

export function fromBinary(headers: Record<string, string>, body: Buffer | undefined): CloudEvent {
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('ce_')) event[name.slice(3)] = value;
  }
  event.datacontenttype = headers['content-type'] ?? 'application/json';
  try {
    event.data = body === undefined || body.length === 0 ? null : JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new EnvelopeError('event data is not valid JSON', { cause: err });
  }
  assertEnvelope(event);
  return event;
}
