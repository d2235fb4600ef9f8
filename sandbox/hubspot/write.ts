import type { FastifyReply } from 'fastify';
import { appSecret } from './app-credentials.ts';
import { propertyValidationBody, sendError } from './errors.ts';
import { ASSOCIATION_TYPE_PAIRS, REVERSE_ASSOCIATION_TYPE, type ObjectType } from './object-types.ts';
import { associate, ConflictError, liveRecord, validateProperties, type Change } from './store.ts';
import { fireChanges, type ChangeSource } from './webhooks.ts';
import type { HubSpotContext } from './knobs.ts';

/**
 * Shared steps of every write route: validate input the way HubSpot does,
 * map store errors to HubSpot answers, and publish the resulting webhooks.
 */
export function rejectInvalidProperties(ctx: HubSpotContext, type: ObjectType, props: unknown, reply: FastifyReply): props is Record<string, unknown> {
  if (!props || typeof props !== 'object' || Array.isArray(props)) {
    sendError(reply, 400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: properties is required');
    return false;
  }
  const failures = validateProperties(ctx.state, type, props as Record<string, unknown>);
  if (failures.length > 0) {
    reply.code(400).send(propertyValidationBody(failures));
    return false;
  }
  return true;
}

/** Runs a store write and turns a duplicate unique value into HubSpot's 409. Returns undefined when it replied. */
export function guardConflict<T>(reply: FastifyReply, run: () => T): T | undefined {
  try {
    return run();
  } catch (err) {
    if (err instanceof ConflictError) {
      sendError(reply, 409, 'CONFLICT', err.message);
      return undefined;
    }
    throw err;
  }
}

export interface AssociationInput {
  to?: { id?: string | number };
  types?: { associationCategory?: string; associationTypeId?: number }[];
}

/** Checks `associations` on a create body; returns an error message or the links to make. */
export function planAssociations(ctx: HubSpotContext, type: ObjectType, input: unknown): string | { to: ObjectType; toId: string; typeId: number }[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) return 'associations must be an array';
  const plan: { to: ObjectType; toId: string; typeId: number }[] = [];
  for (const a of input as AssociationInput[]) {
    const toId = String(a.to?.id ?? '');
    for (const t of a.types ?? []) {
      const pair = t.associationTypeId === undefined ? undefined : ASSOCIATION_TYPE_PAIRS[t.associationTypeId];
      if (!pair || pair[0] !== type) return `association type id ${String(t.associationTypeId)} is not valid for ${type}`;
      if (!liveRecord(ctx.state, pair[1], toId)) return `${pair[1]} ${toId} does not exist`;
      plan.push({ to: pair[1], toId, typeId: t.associationTypeId as number });
    }
  }
  return plan;
}

export function applyAssociations(ctx: HubSpotContext, type: ObjectType, id: string, plan: { to: ObjectType; toId: string; typeId: number }[]): void {
  for (const p of plan) {
    const reverse = REVERSE_ASSOCIATION_TYPE[p.typeId];
    associate(ctx.state, type, id, p.to, p.toId, [p.typeId], reverse === undefined ? [] : [reverse]);
  }
}

/** API writes notify subscribers without holding up the response, as HubSpot does. */
export function publish(ctx: HubSpotContext, changes: Change[], source: ChangeSource = 'API'): Promise<void> {
  return fireChanges(ctx, changes, source, appSecret(ctx));
}
