import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

export interface WebhookSource {
  id: string;
  tenantId: string;
  provider: string;
  scheme: string;
  name: string;
  /** Vault-sealed JSON array of signing secrets (context `webhook_source:<id>:secrets`). */
  sealedSecrets: string;
  options: Record<string, unknown>;
  status: 'active' | 'disabled';
  rateLimitPerSec: number | null;
  createdAt: number;
  updatedAt: number;
}

const toSource = (r: DB['webhook_sources']): WebhookSource => ({
  id: r.id, tenantId: r.tenant_id, provider: r.provider, scheme: r.scheme, name: r.name,
  sealedSecrets: r.secrets, options: JSON.parse(r.options) as Record<string, unknown>,
  status: r.status, rateLimitPerSec: r.rate_limit_per_sec, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** The receiving endpoint knows only the source id; the source tells it the tenant. */
export function webhookSourceLookupRepo(db: Kysely<DB>) {
  return {
    async byId(id: string): Promise<WebhookSource | undefined> {
      const r = await db.selectFrom('webhook_sources').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toSource(r);
    },
    /** Sealed secrets in id order after `afterId`, for master-key rotation. */
    async sealedAfter(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
      const rows = await db.selectFrom('webhook_sources').select(['id', 'secrets']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, sealed: r.secrets }));
    },
    /** Compare-and-set on the sealed text, so a concurrent rotation of secrets wins. */
    async replaceSealed(id: string, oldSealed: string, newSealed: string): Promise<boolean> {
      const r = await db.updateTable('webhook_sources').set({ secrets: newSealed }).where('id', '=', id).where('secrets', '=', oldSealed).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}

export type SourcePatch = Partial<Pick<WebhookSource, 'name' | 'sealedSecrets' | 'options' | 'status' | 'rateLimitPerSec'>>;

export function webhookSourcesRepo(db: Kysely<DB>, tenantId: string) {
  return {
    async create(s: Omit<WebhookSource, 'tenantId'>): Promise<void> {
      await db.insertInto('webhook_sources').values({
        id: s.id, tenant_id: tenantId, provider: s.provider, scheme: s.scheme, name: s.name,
        secrets: s.sealedSecrets, options: JSON.stringify(s.options), status: s.status,
        rate_limit_per_sec: s.rateLimitPerSec, created_at: s.createdAt, updated_at: s.updatedAt,
      }).execute();
    },
    async get(id: string): Promise<WebhookSource | undefined> {
      const r = await db.selectFrom('webhook_sources').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && toSource(r);
    },
    async list(q: PageQuery & { provider?: string } = {}): Promise<Page<WebhookSource>> {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('webhook_sources').selectAll().where('tenant_id', '=', tenantId);
      if (q.provider) query = query.where('provider', '=', q.provider);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return page((await query.orderBy('id', 'desc').limit(limit + 1).execute()).map(toSource), limit);
    },
    async update(id: string, patch: SourcePatch, now: number): Promise<boolean> {
      const r = await db.updateTable('webhook_sources').set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.sealedSecrets !== undefined ? { secrets: patch.sealedSecrets } : {}),
        ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.rateLimitPerSec !== undefined ? { rate_limit_per_sec: patch.rateLimitPerSec } : {}),
        updated_at: now,
      }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Deletes the source with its events and their jobs. */
    async delete(id: string): Promise<boolean> {
      const jobIds = db.selectFrom('webhook_events').select('job_id').where('tenant_id', '=', tenantId).where('source_id', '=', id);
      await db.deleteFrom('jobs').where('tenant_id', '=', tenantId).where('id', 'in', jobIds).execute();
      await db.deleteFrom('webhook_events').where('tenant_id', '=', tenantId).where('source_id', '=', id).execute();
      const r = await db.deleteFrom('webhook_sources').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
