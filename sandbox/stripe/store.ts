import { RateWindow } from '../core/rate-window.ts';
import type { Random } from '../core/faults.ts';

/**
 * The account's objects: customers, the events every change records, and
 * webhook endpoints. Arrays keep creation order (oldest first); lists read
 * them newest first, as Stripe does.
 */
export const API_VERSION = '2026-10-28.endive';

export interface Customer {
  id: string;
  object: 'customer';
  address: null;
  balance: number;
  created: number;
  currency: string | null;
  default_source: null;
  delinquent: boolean;
  description: string | null;
  discount: null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: { custom_fields: null; default_payment_method: null; footer: null; rendering_options: null };
  livemode: false;
  metadata: Record<string, string>;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  shipping: null;
  tax_exempt: 'none' | 'exempt' | 'reverse';
  test_clock: null;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: false;
  metadata: Record<string, string>;
  secret?: string;
  status: 'enabled' | 'disabled';
  url: string;
}

export interface StripeState {
  customers: Map<string, Customer>;
  customerOrder: string[];
  deletedCustomers: Set<string>;
  events: Map<string, StripeEvent>;
  eventOrder: string[];
  endpoints: Map<string, WebhookEndpoint>;
  /** `Idempotency-Key` → the first answer, replayed for 24 h in Stripe; for the fake's lifetime here. */
  idempotency: Map<string, { method: string; path: string; status: number; body: unknown }>;
  rate: RateWindow;
}

export function createState(): StripeState {
  return {
    customers: new Map(), customerOrder: [], deletedCustomers: new Set(),
    events: new Map(), eventOrder: [], endpoints: new Map(), idempotency: new Map(),
    rate: new RateWindow(25, 1_000),
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Stripe-looking ids (`cus_` + 14 chars) drawn from the fake's seeded random. */
export function newId(prefix: string, random: Random, length = 14): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return `${prefix}_${out}`;
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);

export function newCustomer(id: string, created: number, fields: Partial<Customer>): Customer {
  return {
    id, object: 'customer', address: null, balance: 0, created, currency: null, default_source: null, delinquent: false,
    description: null, discount: null, email: null, invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false, metadata: {}, name: null, next_invoice_sequence: 1, phone: null, preferred_locales: [],
    shipping: null, tax_exempt: 'none', test_clock: null, ...fields,
  };
}

/** Records an event; the caller delivers it. */
export function recordEvent(state: StripeState, random: Random, type: string, object: unknown, extra: {
  previous?: Record<string, unknown>; created?: number; requestId?: string; idempotencyKey?: string; pendingWebhooks?: number;
} = {}): StripeEvent {
  const event: StripeEvent = {
    id: newId('evt', random, 24), object: 'event', api_version: API_VERSION, created: extra.created ?? nowSec(),
    data: { object: structuredClone(object), ...(extra.previous ? { previous_attributes: extra.previous } : {}) },
    livemode: false, pending_webhooks: extra.pendingWebhooks ?? 0,
    request: { id: extra.requestId ?? null, idempotency_key: extra.idempotencyKey ?? null }, type,
  };
  state.events.set(event.id, event);
  state.eventOrder.push(event.id);
  return event;
}
