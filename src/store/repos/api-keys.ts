import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyWithHash extends ApiKeyRecord {
  salt: string;
  hash: string;
}

const toRecord = (r: DB['api_keys']): ApiKeyRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  prefix: r.prefix,
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/**
 * Authentication has to find a key before it knows the tenant, so lookup by
 * prefix is the one cross-tenant read; everything else is tenant-scoped.
 */
export function apiKeyLookupRepo(db: Kysely<DB>) {
  return {
    async byPrefix(prefix: string): Promise<ApiKeyWithHash | undefined> {
      const r = await db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
      return r && { ...toRecord(r), salt: r.salt, hash: r.hash };
    },
    async touch(id: string, at: number): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}

export function apiKeysRepo(db: Kysely<DB>, tenantId: string) {
  return {
    async create(k: Omit<ApiKeyWithHash, 'tenantId' | 'lastUsedAt' | 'revokedAt'>): Promise<void> {
      await db.insertInto('api_keys').values({
        id: k.id, tenant_id: tenantId, name: k.name, prefix: k.prefix, salt: k.salt, hash: k.hash,
        scopes: JSON.stringify(k.scopes), created_at: k.createdAt, last_used_at: null, revoked_at: null,
      }).execute();
    },
    async get(id: string): Promise<ApiKeyRecord | undefined> {
      const r = await db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && toRecord(r);
    },
    async list(q: PageQuery = {}): Promise<Page<ApiKeyRecord>> {
      let query = db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit((q.limit ?? 50) + 1).execute();
      return page(rows.map(toRecord), q.limit ?? 50);
    },
    /** Returns false when the key does not exist in this tenant or was already revoked. */
    async revoke(id: string, at: number): Promise<boolean> {
      const r = await db.updateTable('api_keys').set({ revoked_at: at })
        .where('tenant_id', '=', tenantId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
