import type { FastifyInstance } from 'fastify';
import { invalidParam, missing } from './errors.ts';
import { nest, str, strings } from './form.ts';
import { createdMatcher, paginate } from './list.ts';
import type { StripeEvent } from './store.ts';
import type { StripeContext } from './knobs.ts';

/** `type` may end in `.*` (e.g. `customer.*`); `types[]` takes up to 20 exact names. */
function typeMatcher(type: string | undefined, types: string[] | undefined): (t: string) => boolean {
  if (type !== undefined) {
    if (type.endsWith('*')) {
      const prefix = type.slice(0, -1);
      return (t) => t.startsWith(prefix);
    }
    return (t) => t === type;
  }
  if (types !== undefined) return (t) => types.includes(t);
  return () => true;
}

/** The events API: the changes feed a connector polls (`created[gt]`, `type`, cursor pages). */
export function registerEventRoutes(app: FastifyInstance, ctx: StripeContext): void {
  app.get('/v1/events', async (req, reply) => {
    const q = nest(req.query as Record<string, unknown>);
    const type = str(q.type);
    const types = strings(q.types);
    if (type !== undefined && types !== undefined) return invalidParam(reply, 'types', 'You may only specify one of these parameters: type, types.');
    if (types !== undefined && types.length > 20) return invalidParam(reply, 'types', 'You may pass at most 20 event types.');
    const matchesType = typeMatcher(type, types);
    const created = createdMatcher(q.created);
    const oldest = Math.floor(Date.now() / 1000) - ctx.knobs.eventRetentionDays * 86_400;
    const deliverySuccess = str(q.delivery_success);
    const keep = (e: StripeEvent) => e.created >= oldest && matchesType(e.type) && created(e.created)
      && (deliverySuccess === undefined || (deliverySuccess === 'true') === (e.pending_webhooks === 0));
    if (ctx.takeMalformed()) return reply.code(200).type('application/json').send('{"object":"list","data":[{"id":"evt_');
    return paginate(reply, ctx.state.eventOrder, (id) => ctx.state.events.get(id), keep, q, '/v1/events', 'event') ?? reply;
  });

  app.get('/v1/events/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    return ctx.state.events.get(id) ?? missing(reply, 'event', id);
  });
}
