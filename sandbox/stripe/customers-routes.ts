import type { FastifyInstance, FastifyRequest } from 'fastify';
import { missing, sendStripeError } from './errors.ts';
import { nest, str } from './form.ts';
import { createdMatcher, paginate } from './list.ts';
import { applyCustomerParams, unknownParam } from './customers.ts';
import { idempotent } from './idempotency.ts';
import { newCustomer, newId, nowSec, type Customer } from './store.ts';
import { publish } from './webhooks.ts';
import type { StripeContext } from './knobs.ts';

const formOf = (req: FastifyRequest) => nest((req.body ?? {}) as Record<string, unknown>);
const requestMeta = (req: FastifyRequest, reply: { getHeader: (k: string) => unknown }) => ({
  requestId: String(reply.getHeader('request-id') ?? ''),
  ...(typeof req.headers['idempotency-key'] === 'string' ? { idempotencyKey: req.headers['idempotency-key'] } : {}),
});

/** Customers: enough of the API for a connector to list, read and write them; each write records an event. */
export function registerCustomerRoutes(app: FastifyInstance, ctx: StripeContext): void {
  app.get('/v1/customers', async (req, reply) => {
    const q = nest(req.query as Record<string, unknown>);
    const email = str(q.email);
    const created = createdMatcher(q.created);
    const keep = (c: Customer) => (email === undefined || c.email === email) && created(c.created);
    return paginate(reply, ctx.state.customerOrder, (id) => ctx.state.customers.get(id), keep, q, '/v1/customers', 'customer') ?? reply;
  });

  app.get('/v1/customers/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (ctx.state.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true };
    return ctx.state.customers.get(id) ?? missing(reply, 'customer', id);
  });

  app.post('/v1/customers', async (req, reply) => idempotent(ctx, req, reply, async () => {
    const params = formOf(req);
    const bad = unknownParam(params);
    if (bad) return rejectUnknown(reply, bad);
    const c = newCustomer(newId('cus', ctx.random), nowSec(), {});
    applyCustomerParams(c, params);
    ctx.state.customers.set(c.id, c);
    ctx.state.customerOrder.push(c.id);
    void publish(ctx, 'customer.created', c, requestMeta(req, reply)).sent;
    return { status: 200, body: c };
  }));

  app.post('/v1/customers/:id', async (req, reply) => idempotent(ctx, req, reply, async () => {
    const id = (req.params as { id: string }).id;
    const c = ctx.state.customers.get(id);
    if (!c) {
      missing(reply, 'customer', id);
      return undefined;
    }
    const params = formOf(req);
    const bad = unknownParam(params);
    if (bad) return rejectUnknown(reply, bad);
    const previous = applyCustomerParams(c, params);
    if (Object.keys(previous).length > 0) void publish(ctx, 'customer.updated', c, { previous, ...requestMeta(req, reply) }).sent;
    return { status: 200, body: c };
  }));

  app.delete('/v1/customers/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const c = ctx.state.customers.get(id);
    if (!c) return missing(reply, 'customer', id);
    ctx.state.customers.delete(id);
    ctx.state.deletedCustomers.add(id);
    void publish(ctx, 'customer.deleted', c, requestMeta(req, reply)).sent;
    return { id, object: 'customer', deleted: true };
  });
}

function rejectUnknown(reply: Parameters<typeof sendStripeError>[0], param: string): undefined {
  sendStripeError(reply, 400, { type: 'invalid_request_error', code: 'parameter_unknown', param, message: `Received unknown parameter: ${param}` });
  return undefined;
}

