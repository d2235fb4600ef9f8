import { newId } from '../domain/ids.ts';
import type { TenantStore } from '../store/store.ts';

export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown> | null;
}

/**
 * Appends an audit entry through the tenant's store, so it commits in the
 * same transaction as the write it describes.
 */
export async function audit(store: TenantStore, e: AuditInput, now = Date.now()): Promise<void> {
  await store.auditLog.append({
    id: newId('audit', now),
    actor: e.actor,
    action: e.action,
    target: e.target ?? null,
    requestId: e.requestId ?? null,
    details: e.details ?? null,
    at: now,
  });
}
