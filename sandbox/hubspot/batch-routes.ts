import type { FastifyInstance, FastifyReply } from 'fastify';
import { propertyValidationBody, sendError, type PropertyValidation } from './errors.ts';
import { OBJECT_TYPES, type ObjectType } from './object-types.ts';
import { renderRecord, type RenderedRecord } from './render.ts';
import {
  archiveRecord, checkUnique, ConflictError, createRecord, findBy, liveRecord, uniqueProperties, updateRecord, validateProperties,
  type Change, type CrmRecord,
} from './store.ts';
import { typeOrReply } from './objects-routes.ts';
import { applyAssociations, planAssociations, publish } from './write.ts';
import type { HubSpotContext } from './knobs.ts';

/** HubSpot rejects any batch over this many inputs with a 400. */
export const MAX_BATCH_INPUTS = 100;

interface Input {
  id?: string | number;
  idProperty?: string;
  properties?: Record<string, unknown>;
  associations?: unknown;
}

function inputsOrReply(body: unknown, reply: FastifyReply): Input[] | undefined {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (!Array.isArray(inputs)) {
    sendError(reply, 400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: inputs is required');
    return undefined;
  }
  if (inputs.length > MAX_BATCH_INPUTS) {
    sendError(reply, 400, 'VALIDATION_ERROR', `Too many inputs: ${inputs.length}. The maximum is ${MAX_BATCH_INPUTS}.`, {
      context: { inputs: [String(inputs.length)] },
    });
    return undefined;
  }
  return inputs as Input[];
}

function batchResult(results: RenderedRecord[], missing: string[], type: ObjectType, startedAt: string): { status: number; body: unknown } {
  const base = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (missing.length === 0) return { status: 200, body: base };
  const what = OBJECT_TYPES[type].singular.toUpperCase();
  const error = {
    status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: missing },
    message: `Could not get some ${what} objects, they may be deleted or not exist. Check that ids are valid.`,
  };
  return { status: 207, body: { ...base, numErrors: 1, errors: [error] } };
}

/** Validates every input before any write: HubSpot applies a batch whole or not at all. */
function validateAll(ctx: HubSpotContext, type: ObjectType, inputs: Input[], reply: FastifyReply): boolean {
  const failures: PropertyValidation[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    if (!input.properties || typeof input.properties !== 'object') {
      sendError(reply, 400, 'VALIDATION_ERROR', 'Invalid input JSON: properties is required on every input');
      return false;
    }
    failures.push(...validateProperties(ctx.state, type, input.properties));
    for (const name of uniqueProperties(ctx.state, type)) {
      const v = input.properties[name];
      if (v === undefined || v === null || v === '') continue;
      const key = `${name}:${String(v).toLowerCase()}`;
      if (seen.has(key)) {
        sendError(reply, 400, 'VALIDATION_ERROR', `Duplicate ${name} in batch: ${String(v)}`);
        return false;
      }
      seen.add(key);
    }
  }
  if (failures.length > 0) {
    reply.code(400).send(propertyValidationBody(failures));
    return false;
  }
  return true;
}

export function registerBatchRoutes(app: FastifyInstance, ctx: HubSpotContext): void {
  const route = (action: string) => `/crm/v3/objects/:objectType/batch/${action}`;
  const typeOf = (params: unknown, reply: FastifyReply) => typeOrReply((params as { objectType: string }).objectType, reply);

  app.post(route('read'), async (req, reply) => {
    const type = typeOf(req.params, reply);
    const inputs = type && inputsOrReply(req.body, reply);
    if (!type || !inputs) return reply;
    const startedAt = new Date().toISOString();
    const body = req.body as { properties?: string[]; idProperty?: string };
    const archived = (req.query as { archived?: string }).archived === 'true';
    const results: RenderedRecord[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? '');
      const r = body.idProperty && body.idProperty !== 'hs_object_id'
        ? findBy(ctx.state, type, body.idProperty, id)
        : ctx.state.records[type].get(id);
      if (r && r.archived === archived) results.push(renderRecord(type, r, body.properties));
      else missing.push(id);
    }
    const out = batchResult(results, missing, type, startedAt);
    return reply.code(out.status).send(out.body);
  });

  app.post(route('create'), async (req, reply) => {
    const type = typeOf(req.params, reply);
    const inputs = type && inputsOrReply(req.body, reply);
    if (!type || !inputs || !validateAll(ctx, type, inputs, reply)) return reply;
    const plans = inputs.map((i) => planAssociations(ctx, type, i.associations));
    const bad = plans.find((p) => typeof p === 'string');
    if (typeof bad === 'string') return sendError(reply, 400, 'VALIDATION_ERROR', bad);
    try {
      for (const input of inputs) checkUnique(ctx.state, type, stringProps(input.properties ?? {}));
    } catch (err) {
      if (err instanceof ConflictError) return sendError(reply, 409, 'CONFLICT', err.message);
      throw err;
    }
    const startedAt = new Date().toISOString();
    const changes: Change[] = [];
    const results = inputs.map((input, i) => {
      const made = createRecord(ctx.state, type, input.properties ?? {});
      applyAssociations(ctx, type, made.record.id, plans[i] as Exclude<(typeof plans)[number], string>);
      changes.push(...made.changes);
      return renderRecord(type, made.record, Object.keys(input.properties ?? {}));
    });
    void publish(ctx, changes);
    return reply.code(201).send({ status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
  });

  app.post(route('update'), async (req, reply) => {
    const type = typeOf(req.params, reply);
    const inputs = type && inputsOrReply(req.body, reply);
    if (!type || !inputs || !validateAll(ctx, type, inputs, reply)) return reply;
    const startedAt = new Date().toISOString();
    const targets = inputs.map((input) => {
      const id = String(input.id ?? '');
      return input.idProperty && input.idProperty !== 'hs_object_id' ? findBy(ctx.state, type, input.idProperty, id) : liveRecord(ctx.state, type, id);
    });
    try {
      inputs.forEach((input, i) => {
        const r = targets[i];
        if (r) checkUnique(ctx.state, type, stringProps(input.properties ?? {}), r.id);
      });
    } catch (err) {
      if (err instanceof ConflictError) return sendError(reply, 409, 'CONFLICT', err.message);
      throw err;
    }
    const changes: Change[] = [];
    const results: RenderedRecord[] = [];
    const missing: string[] = [];
    inputs.forEach((input, i) => {
      const r = targets[i];
      if (!r) return missing.push(String(input.id ?? ''));
      changes.push(...updateRecord(ctx.state, type, r, input.properties ?? {}));
      results.push(renderRecord(type, r, Object.keys(input.properties ?? {})));
    });
    void publish(ctx, changes);
    const out = batchResult(results, missing, type, startedAt);
    return reply.code(out.status).send(out.body);
  });

  app.post(route('upsert'), async (req, reply) => {
    const type = typeOf(req.params, reply);
    const inputs = type && inputsOrReply(req.body, reply);
    if (!type || !inputs || !validateAll(ctx, type, inputs, reply)) return reply;
    const unique = uniqueProperties(ctx.state, type);
    const badKey = inputs.find((i) => !i.idProperty || !unique.includes(i.idProperty));
    if (badKey) {
      return sendError(reply, 400, 'VALIDATION_ERROR', `idProperty ${String(badKey.idProperty)} is not a unique identifier property for ${type}`);
    }
    const startedAt = new Date().toISOString();
    const changes: Change[] = [];
    const results = inputs.map((input) => {
      const key = input.idProperty as string;
      const existing = findBy(ctx.state, type, key, String(input.id ?? ''));
      let record: CrmRecord;
      if (existing) {
        changes.push(...updateRecord(ctx.state, type, existing, input.properties ?? {}));
        record = existing;
      } else {
        const made = createRecord(ctx.state, type, { ...input.properties, [key]: String(input.id ?? '') });
        changes.push(...made.changes);
        record = made.record;
      }
      return { ...renderRecord(type, record, Object.keys(input.properties ?? {})), new: !existing };
    });
    void publish(ctx, changes);
    return reply.code(200).send({ status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
  });

  app.post(route('archive'), async (req, reply) => {
    const type = typeOf(req.params, reply);
    const inputs = type && inputsOrReply(req.body, reply);
    if (!type || !inputs) return reply;
    const changes: Change[] = [];
    for (const input of inputs) {
      const r = liveRecord(ctx.state, type, String(input.id ?? ''));
      if (r) changes.push(...archiveRecord(ctx.state, type, r));
    }
    void publish(ctx, changes);
    return reply.code(204).send();
  });
}

function stringProps(props: Record<string, unknown>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v === null || v === undefined || v === '' ? null : String(v)]));
}
