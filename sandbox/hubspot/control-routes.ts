import type { FastifyInstance } from 'fastify';
import { propertyValidationBody } from './errors.ts';
import { objectTypeOf } from './object-types.ts';
import { renderRecord } from './render.ts';
import { archiveRecord, ConflictError, createRecord, liveRecord, updateRecord, validateProperties, type Change } from './store.ts';
import { publish } from './write.ts';
import type { HubSpotContext } from './knobs.ts';

/**
 * `/_sandbox/hubspot/...`: changes made "as a user in the CRM UI". They go
 * through the same store rules as the API and fire webhooks with
 * `changeSource: "CRM_UI"`; the reply waits for each first delivery attempt.
 */
export function registerControlRoutes(app: FastifyInstance, ctx: HubSpotContext): void {
  const resolve = (params: unknown) => objectTypeOf((params as { objectType: string }).objectType);

  const run = async (reply: import('fastify').FastifyReply, work: () => { status: number; body: unknown; changes: Change[] }) => {
    try {
      const out = work();
      await publish(ctx, out.changes, 'CRM_UI');
      return reply.code(out.status).send(out.body);
    } catch (err) {
      if (err instanceof ConflictError) return reply.code(409).send({ error: err.message, existingId: err.existingId });
      throw err;
    }
  };

  app.post('/_sandbox/hubspot/objects/:objectType', async (req, reply) => {
    const type = resolve(req.params);
    if (!type) return reply.code(404).send({ error: 'unknown object type' });
    const props = ((req.body ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
    const failures = validateProperties(ctx.state, type, props);
    if (failures.length > 0) return reply.code(400).send(propertyValidationBody(failures));
    return run(reply, () => {
      const made = createRecord(ctx.state, type, props);
      return { status: 201, body: renderRecord(type, made.record, Object.keys(props)), changes: made.changes };
    });
  });

  app.patch('/_sandbox/hubspot/objects/:objectType/:id', async (req, reply) => {
    const type = resolve(req.params);
    const r = type && liveRecord(ctx.state, type, (req.params as { id: string }).id);
    if (!type || !r) return reply.code(404).send({ error: 'no such record' });
    const props = ((req.body ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
    const failures = validateProperties(ctx.state, type, props);
    if (failures.length > 0) return reply.code(400).send(propertyValidationBody(failures));
    return run(reply, () => {
      const changes = updateRecord(ctx.state, type, r, props);
      return { status: 200, body: renderRecord(type, r, Object.keys(props)), changes };
    });
  });

  app.delete('/_sandbox/hubspot/objects/:objectType/:id', async (req, reply) => {
    const type = resolve(req.params);
    const r = type && liveRecord(ctx.state, type, (req.params as { id: string }).id);
    if (!type || !r) return reply.code(404).send({ error: 'no such record' });
    return run(reply, () => ({ status: 200, body: { id: r.id, archived: true }, changes: archiveRecord(ctx.state, type, r) }));
  });
}
