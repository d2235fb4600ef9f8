import type { FastifyInstance } from 'fastify';
import { notFound, sendError } from './errors.ts';
import { definition, type PropertyDefinition } from './property-catalog.ts';
import { typeOrReply } from './objects-routes.ts';
import type { HubSpotContext } from './knobs.ts';

const TYPES = new Set(['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number']);
const FIELD_TYPES = new Set(['text', 'textarea', 'number', 'select', 'radio', 'checkbox', 'booleancheckbox', 'date', 'phonenumber', 'file', 'html', 'calculation_equation']);

type PropertyInput = Partial<PropertyDefinition>;

/** The properties API: custom fields are what makes a create with an unknown name fail or pass. */
export function registerPropertyRoutes(app: FastifyInstance, ctx: HubSpotContext): void {
  app.get('/crm/v3/properties/:objectType', async (req, reply) => {
    const type = typeOrReply((req.params as { objectType: string }).objectType, reply);
    if (!type) return reply;
    const archived = (req.query as { archived?: string }).archived === 'true';
    return { results: [...ctx.state.properties[type].values()].filter((d) => d.archived === archived) };
  });

  app.get('/crm/v3/properties/:objectType/:propertyName', async (req, reply) => {
    const { objectType, propertyName } = req.params as { objectType: string; propertyName: string };
    const type = typeOrReply(objectType, reply);
    if (!type) return reply;
    const def = ctx.state.properties[type].get(propertyName);
    return def && !def.archived ? def : notFound(reply);
  });

  app.post('/crm/v3/properties/:objectType', async (req, reply) => {
    const type = typeOrReply((req.params as { objectType: string }).objectType, reply);
    if (!type) return reply;
    const body = (req.body ?? {}) as PropertyInput;
    for (const field of ['name', 'label', 'type', 'fieldType', 'groupName'] as const) {
      if (!body[field]) return sendError(reply, 400, 'VALIDATION_ERROR', `${field} can not be null or empty`);
    }
    if (!TYPES.has(String(body.type))) return sendError(reply, 400, 'VALIDATION_ERROR', `Invalid property type: ${String(body.type)}`);
    if (!FIELD_TYPES.has(String(body.fieldType))) return sendError(reply, 400, 'VALIDATION_ERROR', `Invalid fieldType: ${String(body.fieldType)}`);
    const name = String(body.name);
    if (!/^[a-z][a-z0-9_]*$/.test(name)) return sendError(reply, 400, 'VALIDATION_ERROR', `Property name ${name} must be lowercase letters, digits and underscores`);
    const existing = ctx.state.properties[type].get(name);
    if (existing && !existing.archived) return sendError(reply, 409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`);
    const now = new Date().toISOString();
    const def = definition({
      name, label: String(body.label), type: body.type as PropertyDefinition['type'], fieldType: String(body.fieldType),
      groupName: String(body.groupName), description: body.description ?? '', options: body.options ?? [],
      hasUniqueValue: body.hasUniqueValue === true, hidden: body.hidden === true, displayOrder: body.displayOrder ?? -1,
      formField: body.formField ?? false,
    }, false, now);
    ctx.state.properties[type].set(name, def);
    return reply.code(201).send(def);
  });

  app.patch('/crm/v3/properties/:objectType/:propertyName', async (req, reply) => {
    const { objectType, propertyName } = req.params as { objectType: string; propertyName: string };
    const type = typeOrReply(objectType, reply);
    if (!type) return reply;
    const def = ctx.state.properties[type].get(propertyName);
    if (!def || def.archived) return notFound(reply);
    if (def.modificationMetadata.readOnlyDefinition) return sendError(reply, 400, 'VALIDATION_ERROR', `Property ${propertyName} is read-only and cannot be modified`);
    const body = (req.body ?? {}) as PropertyInput;
    for (const key of ['label', 'description', 'groupName', 'options', 'displayOrder', 'hidden', 'formField', 'fieldType'] as const) {
      if (body[key] !== undefined) Object.assign(def, { [key]: body[key] });
    }
    def.updatedAt = new Date().toISOString();
    return def;
  });

  app.delete('/crm/v3/properties/:objectType/:propertyName', async (req, reply) => {
    const { objectType, propertyName } = req.params as { objectType: string; propertyName: string };
    const type = typeOrReply(objectType, reply);
    if (!type) return reply;
    const def = ctx.state.properties[type].get(propertyName);
    if (!def || def.archived) return notFound(reply);
    if (!def.modificationMetadata.archivable) return sendError(reply, 400, 'VALIDATION_ERROR', `Property ${propertyName} cannot be archived`);
    def.archived = true;
    def.updatedAt = new Date().toISOString();
    return reply.code(204).send();
  });
}
