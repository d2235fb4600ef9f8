import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
  at: number;
}

export interface AuditQuery extends PageQuery {
  action?: string;
  since?: number;
  until?: number;
}

const toEntry = (r: DB['audit_log']): AuditEntry => ({
  id: r.id,
  actor: r.actor,
  action: r.action,
  target: r.target,
  requestId: r.request_id,
  details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
  at: r.at,
});

export function auditLogRepo(db: Kysely<DB>, tenantId: string) {
  return {
    async append(e: AuditEntry): Promise<void> {
      await db.insertInto('audit_log').values({
        id: e.id, tenant_id: tenantId, actor: e.actor, action: e.action, target: e.target,
        request_id: e.requestId, details: e.details === null ? null : JSON.stringify(e.details), at: e.at,
      }).execute();
    },
    async list(q: AuditQuery = {}): Promise<Page<AuditEntry>> {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      if (q.action) query = query.where('action', '=', q.action);
      if (q.since !== undefined) query = query.where('at', '>=', q.since);
      if (q.until !== undefined) query = query.where('at', '<', q.until);
      const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
      return page(rows.map(toEntry), limit);
    },
  };
}
