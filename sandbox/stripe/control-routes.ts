import type { FastifyInstance } from 'fastify';
import type { FormValue } from './form.ts';
import { applyCustomerParams } from './customers.ts';
import { newCustomer, newId, nowSec } from './store.ts';
import { publish } from './webhooks.ts';
import type { StripeContext } from './knobs.ts';

/** JSON from a control call becomes the same string-valued shape a form post has. */
function toForm(v: unknown): FormValue {
  if (Array.isArray(v)) return v.map(toForm);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toForm(x)]));
  return v === null || v === undefined ? '' : String(v);
}

/**
 * `/_sandbox/stripe/...`: changes "as a user in the Dashboard" and a
 * `stripe trigger`-like event sender. Each waits for the first delivery attempts.
 */
export function registerControlRoutes(app: FastifyInstance, ctx: StripeContext): void {
  app.post('/_sandbox/stripe/customers', async (req, reply) => {
    const c = newCustomer(newId('cus', ctx.random), nowSec(), {});
    applyCustomerParams(c, toForm(req.body ?? {}) as Record<string, FormValue>);
    ctx.state.customers.set(c.id, c);
    ctx.state.customerOrder.push(c.id);
    const { event, sent } = publish(ctx, 'customer.created', c);
    await sent;
    return reply.code(201).send({ customer: c, event: event.id });
  });

  app.post('/_sandbox/stripe/customers/:id', async (req, reply) => {
    const c = ctx.state.customers.get((req.params as { id: string }).id);
    if (!c) return reply.code(404).send({ error: 'no such customer' });
    const previous = applyCustomerParams(c, toForm(req.body ?? {}) as Record<string, FormValue>);
    if (Object.keys(previous).length === 0) return { customer: c, event: null };
    const { event, sent } = publish(ctx, 'customer.updated', c, { previous });
    await sent;
    return { customer: c, event: event.id };
  });

  app.delete('/_sandbox/stripe/customers/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const c = ctx.state.customers.get(id);
    if (!c) return reply.code(404).send({ error: 'no such customer' });
    ctx.state.customers.delete(id);
    ctx.state.deletedCustomers.add(id);
    const { event, sent } = publish(ctx, 'customer.deleted', c);
    await sent;
    return { id, deleted: true, event: event.id };
  });

  /** Like `stripe trigger`: records and sends any event type with the given object. */
  app.post('/_sandbox/stripe/events', async (req, reply) => {
    const b = (req.body ?? {}) as { type?: string; object?: unknown; previous_attributes?: Record<string, unknown> };
    if (!b.type) return reply.code(400).send({ error: 'type is required' });
    const { event, sent } = publish(ctx, b.type, b.object ?? {}, b.previous_attributes ? { previous: b.previous_attributes } : {});
    await sent;
    return reply.code(201).send(event);
  });
}
