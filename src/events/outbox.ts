import { newId } from '../domain/ids.ts';
import type { Store } from '../store/store.ts';
import type { NewOutboxEvent } from '../store/repos/outbox.ts';
import type { EventType } from './types.ts';

export interface DomainEvent {
  tenantId: string;
  type: EventType;
  data: unknown;
  /** Events with the same key are published in order (default: the tenant). */
  partitionKey?: string;
  /** The cause's identity: the same cause emits once (default: a fresh id). */
  dedupKey?: string;
  subject?: string;
  traceparent?: string;
}

export function outboxRow(e: DomainEvent, now = Date.now()): NewOutboxEvent {
  const id = newId('message', now);
  return {
    id, tenantId: e.tenantId, type: e.type, partitionKey: e.partitionKey ?? e.tenantId, dedupKey: e.dedupKey ?? id,
    subject: e.subject ?? null, data: e.data, traceparent: e.traceparent ?? null, now,
  };
}

/**
 * Writes domain events through `store` — pass the transaction of the change
 * that causes them, so the event exists if and only if the change does.
 */
export async function emit(store: Store, ...events: DomainEvent[]): Promise<void> {
  const now = Date.now();
  await store.outbox.append(events.map((e) => outboxRow(e, now)));
}
