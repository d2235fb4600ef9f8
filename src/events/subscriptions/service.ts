import { randomBytes } from 'node:crypto';
import { HubError, invalid, notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { Store } from '../../store/store.ts';
import type { Subscription } from '../../store/repos/subscriptions.ts';
import { audit } from '../../observability/audit.ts';
import { compileMapping } from '../../transform/index.ts';
import { actionSchema, type SubscriptionAction } from './actions.ts';
import { filterSchema } from './filter.ts';
import { normalizePattern } from '../bus/topics.ts';

/** Seals the webhook signing secret at rest (the vault satisfies it). */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export const secretContext = (id: string) => `subscription:${id}:secret`;

export interface SubscriptionInput {
  name: string;
  /** Event types within the tenant's topics: `webhook.received`, `request.*`, `provider.>`. */
  eventTypes: string;
  filter?: unknown;
  action: unknown;
  status?: 'active' | 'paused';
}

export interface PublicSubscription extends Omit<Subscription, 'sealedSecret'> {
  /** Shown once, on create, for webhook actions: verify deliveries with it (Standard Webhooks). */
  secret?: string;
}

const zodErrors = (prefix: string, err: { issues: { path: PropertyKey[]; message: string }[] }) =>
  err.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].join('.'), message: i.message }));

function validate(input: Partial<SubscriptionInput>): { filter?: Record<string, unknown>; action?: SubscriptionAction } {
  const out: { filter?: Record<string, unknown>; action?: SubscriptionAction } = {};
  if (input.eventTypes !== undefined) {
    try {
      normalizePattern(`t.${input.eventTypes}`);
    } catch (err) {
      throw invalid('eventTypes', (err as Error).message);
    }
  }
  if (input.filter !== undefined) {
    const f = filterSchema.safeParse(input.filter);
    if (!f.success) throw new HubError('validation_failed', 'filter is invalid', { errors: zodErrors('filter', f.error) });
    out.filter = f.data;
  }
  if (input.action !== undefined) {
    const a = actionSchema.safeParse(input.action);
    if (!a.success) throw new HubError('validation_failed', 'action is invalid', { errors: zodErrors('action', a.error) });
    if (a.data.kind === 'connector') {
      const compiled = compileMapping(a.data.mapping);
      if (!compiled.ok) throw new HubError('validation_failed', 'action.mapping is invalid', { errors: compiled.errors.map((e) => ({ field: `action.mapping.${e.path}`, message: e.message })) });
    }
    out.action = a.data;
  }
  return out;
}

export function publicSubscription(s: Subscription, secret?: string): PublicSubscription {
  const { sealedSecret: _sealed, ...rest } = s;
  return { ...rest, ...(secret ? { secret } : {}) };
}

export async function createSubscription(store: Store, box: SecretBox, tenantId: string, input: SubscriptionInput, actor: { id: string; requestId?: string }): Promise<PublicSubscription> {
  const { filter, action } = validate(input);
  if (!action) throw invalid('action', 'is required');
  const id = newId('subscription');
  const now = Date.now();
  const secret = action.kind === 'webhook' ? `whsec_${randomBytes(24).toString('base64')}` : undefined;
  const row: Omit<Subscription, 'tenantId'> = {
    id, name: input.name, eventTypes: input.eventTypes, filter: filter ?? {}, action, status: input.status ?? 'active',
    sealedSecret: secret ? box.seal(secret, secretContext(id)) : null, createdAt: now, updatedAt: now,
  };
  await store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    await t.subscriptions.create(row);
    await audit(t, { actor: actor.id, action: 'subscription.create', target: id, requestId: actor.requestId ?? null, details: { eventTypes: input.eventTypes, action: action.kind } });
  });
  return publicSubscription({ ...row, tenantId }, secret);
}

export async function updateSubscription(store: Store, tenantId: string, id: string, input: Partial<SubscriptionInput>, actor: { id: string; requestId?: string }): Promise<PublicSubscription> {
  const { filter, action } = validate(input);
  return store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    const current = await t.subscriptions.get(id);
    if (!current) throw notFound('subscription', id);
    if (action && action.kind !== (current.action as { kind?: string }).kind) throw invalid('action.kind', 'cannot change; create a new subscription');
    await t.subscriptions.update(id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(filter ? { filter } : {}), ...(action ? { action } : {}),
    }, Date.now());
    await audit(t, { actor: actor.id, action: 'subscription.update', target: id, requestId: actor.requestId ?? null, details: { changed: Object.keys(input) } });
    return publicSubscription((await t.subscriptions.get(id))!);
  });
}

export async function deleteSubscription(store: Store, tenantId: string, id: string, actor: { id: string; requestId?: string }): Promise<void> {
  await store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    if (!(await t.subscriptions.delete(id))) throw notFound('subscription', id);
    await audit(t, { actor: actor.id, action: 'subscription.delete', target: id, requestId: actor.requestId ?? null });
  });
}
