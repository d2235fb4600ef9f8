import { str, strings, type FormValue } from './form.ts';
import type { Customer } from './store.ts';

/**
 * How create/update parameters change a customer. Unknown parameters are
 * rejected by name, as Stripe does; `metadata[key]=""` removes the key and an
 * empty string unsets a nullable field.
 */
const TEXT_FIELDS = ['name', 'email', 'description', 'phone'] as const;
const ALLOWED = new Set([...TEXT_FIELDS, 'metadata', 'balance', 'preferred_locales', 'tax_exempt', 'expand']);

export function unknownParam(params: Record<string, FormValue>): string | undefined {
  return Object.keys(params).find((k) => !ALLOWED.has(k));
}

/** Applies params in place; returns the previous values of what changed (Stripe's `previous_attributes`). */
export function applyCustomerParams(c: Customer, params: Record<string, FormValue>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const f of TEXT_FIELDS) {
    const v = str(params[f]);
    if (v === undefined) continue;
    const next = v === '' ? null : v;
    if (c[f] !== next) {
      previous[f] = c[f];
      c[f] = next;
    }
  }
  const balance = str(params.balance);
  if (balance !== undefined && Number(balance) !== c.balance) {
    previous.balance = c.balance;
    c.balance = Number(balance);
  }
  const taxExempt = str(params.tax_exempt);
  if (taxExempt === 'none' || taxExempt === 'exempt' || taxExempt === 'reverse') {
    if (c.tax_exempt !== taxExempt) previous.tax_exempt = c.tax_exempt;
    c.tax_exempt = taxExempt;
  }
  const locales = strings(params.preferred_locales);
  if (locales) {
    previous.preferred_locales = c.preferred_locales;
    c.preferred_locales = locales;
  }
  const metadata = params.metadata;
  if (metadata !== undefined && typeof metadata === 'object' && !Array.isArray(metadata)) {
    const before = { ...c.metadata };
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') continue;
      if (v === '') delete c.metadata[k];
      else c.metadata[k] = v;
    }
    if (JSON.stringify(before) !== JSON.stringify(c.metadata)) previous.metadata = before;
  } else if (metadata === '') {
    if (Object.keys(c.metadata).length > 0) previous.metadata = c.metadata;
    c.metadata = {};
  }
  return previous;
}
