import { applyCustomerParams } from './customers.ts';
import type { FormValue } from './form.ts';
import { newCustomer, newId, recordEvent } from './store.ts';
import type { StripeContext } from './knobs.ts';

/**
 * Fills the account from a fixture (`{customers:[{name, email, metadata}]}`) or
 * a generator (`{generate:{customers:1000, updates:200}}`). Each customer gets
 * its `customer.created` event and each update a `customer.updated`, with
 * times spread over the last 29 days (inside the 30-day events window). No
 * webhooks are sent.
 */
interface Fixture {
  customers?: Record<string, unknown>[];
  generate?: { customers?: number; updates?: number };
}

const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Barbara Liskov', 'Donald Knuth', 'Radia Perlman', 'Ken Thompson', 'Frances Allen'];

export function seed(ctx: StripeContext, spec: unknown): void {
  const f = (spec ?? {}) as Fixture;
  const fixtures = f.customers ?? [];
  const count = f.generate?.customers ?? 0;
  const updates = f.generate?.updates ?? 0;
  const total = fixtures.length + count + updates;
  const span = 29 * 86_400;
  const start = Math.floor(Date.now() / 1000) - span;
  let tick = 0;
  const nextTime = () => start + Math.floor((span * tick++) / Math.max(total, 1));

  const add = (params: Record<string, FormValue>) => {
    const created = nextTime();
    const c = newCustomer(newId('cus', ctx.random), created, {});
    applyCustomerParams(c, params);
    ctx.state.customers.set(c.id, c);
    ctx.state.customerOrder.push(c.id);
    recordEvent(ctx.state, ctx.random, 'customer.created', c, { created });
  };
  for (const c of fixtures) add(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === 'object' && v ? v as FormValue : String(v)])));
  for (let i = 0; i < count; i++) {
    const name = NAMES[Math.floor(ctx.random() * NAMES.length)] as string;
    add({ name, email: `${name.toLowerCase().replace(' ', '.')}.${i + 1}@example.com`, metadata: { seq: String(i + 1) } });
  }
  const ids = ctx.state.customerOrder;
  for (let i = 0; i < updates && ids.length > 0; i++) {
    const c = ctx.state.customers.get(ids[Math.floor(ctx.random() * ids.length)] as string);
    if (!c) continue;
    const previous = applyCustomerParams(c, { description: `update ${i + 1}` });
    recordEvent(ctx.state, ctx.random, 'customer.updated', c, { created: nextTime(), previous });
  }
}
