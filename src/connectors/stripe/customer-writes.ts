import { createHash } from 'node:crypto';
import type { ConnectorContext, DeleteResult, UpsertInput, UpsertResult } from '../types.ts';
import type { RawCustomer } from './customers.ts';
import { failure, type StripeList } from './shared.ts';

/**
 * Stripe has no batch endpoint, so each record is its own form-encoded
 * call, one after another. Creates carry an `Idempotency-Key` derived from
 * the connection and the record, so a create the engine retries after a
 * lost answer replays Stripe's first answer instead of making a second
 * customer (Stripe keeps keys for 24 hours). Updates set fields to values
 * and are safe to repeat as they are.
 */
export const WRITABLE = ['email', 'name', 'phone', 'description', 'balance', 'metadata', 'preferred_locales', 'tax_exempt'] as const;
const IDEMPOTENCY_HEADER = 'Idempotency-Key';

function formOf(record: Record<string, unknown>): URLSearchParams {
  const form = new URLSearchParams();
  for (const field of WRITABLE) {
    const value = record[field];
    if (value === undefined) continue;
    if (field === 'metadata' && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) form.append(`metadata[${k}]`, v === null ? '' : String(v));
    } else if (field === 'preferred_locales' && Array.isArray(value)) {
      value.forEach((v, i) => form.append(`preferred_locales[${i}]`, String(v)));
    } else {
      // Stripe unsets a field sent as an empty string.
      form.append(field, value === null ? '' : String(value));
    }
  }
  return form;
}

export function idempotencyKey(ctx: ConnectorContext, form: URLSearchParams): string {
  return createHash('sha256').update(`${ctx.connection.id}\n${form.toString()}`).digest('base64url');
}

async function findByEmail(ctx: ConnectorContext, email: string): Promise<string | undefined> {
  const res = await ctx.client.json<StripeList<RawCustomer>>({ method: 'GET', path: '/v1/customers', query: { email, limit: 1 }, signal: ctx.signal });
  return res.data[0]?.id;
}

async function upsertOne(ctx: ConnectorContext, input: UpsertInput): Promise<UpsertResult> {
  const form = formOf(input.record);
  let id = input.id;
  if (!id && input.matchField) {
    if (input.matchField !== 'email') return { ok: false, error: `stripe customers: cannot match on ${input.matchField} (supported: email)`, retryable: false };
    const email = input.record.email;
    if (typeof email !== 'string' || email === '') return { ok: false, error: 'stripe customers: matchField email has no value', retryable: false };
    id = await findByEmail(ctx, email);
  }
  if (id) {
    const c = await ctx.client.json<RawCustomer>({ method: 'POST', path: `/v1/customers/${encodeURIComponent(id)}`, body: form, idempotent: true, signal: ctx.signal });
    return { ok: true, id: c.id, created: false };
  }
  const key = idempotencyKey(ctx, form);
  // The catalog profile names no idempotency header yet, so the header is set here as well as the client's key.
  const c = await ctx.client.json<RawCustomer>({ method: 'POST', path: '/v1/customers', body: form, idempotencyKey: key, headers: { [IDEMPOTENCY_HEADER]: key }, signal: ctx.signal });
  return { ok: true, id: c.id, created: true, modifiedAt: c.created * 1000 };
}

export async function upsertCustomers<T extends object>(ctx: ConnectorContext, inputs: UpsertInput<T>[]): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (const input of inputs) {
    try {
      results.push(await upsertOne(ctx, input as UpsertInput));
    } catch (err) {
      results.push(failure(err));
    }
  }
  return results;
}

export async function deleteCustomers(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]> {
  const results: DeleteResult[] = [];
  for (const id of ids) {
    try {
      const res = await ctx.client.request({ method: 'DELETE', path: `/v1/customers/${encodeURIComponent(id)}`, signal: ctx.signal });
      // Already deleted (404) is the state asked for.
      if (res.status !== 404) ctx.client.assertOk({ method: 'DELETE', path: `/v1/customers/${encodeURIComponent(id)}` }, res);
      results.push({ id, ok: true });
    } catch (err) {
      results.push({ id, ...failure(err) });
    }
  }
  return results;
}
