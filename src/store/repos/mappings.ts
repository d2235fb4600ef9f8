import type { Kysely, Selectable } from 'kysely';
import type { DB, MappingsTable } from '../schema.ts';
import { page, type Page, type PageQuery } from './paging.ts';

/** One stored version of a mapping spec; a mapping's versions share its id. */
export interface StoredMapping {
  id: string;
  version: number;
  tenantId: string;
  name: string;
  spec: Record<string, unknown>;
  createdAt: number;
}

const toMapping = (r: Selectable<MappingsTable>): StoredMapping => ({
  id: r.id, version: r.version, tenantId: r.tenant_id, name: r.name, spec: JSON.parse(r.spec) as Record<string, unknown>, createdAt: r.created_at,
});

export function mappingsRepo(db: Kysely<DB>, tenantId: string) {
  const byTenant = () => db.selectFrom('mappings').selectAll().where('tenant_id', '=', tenantId);
  return {
    async create(m: Omit<StoredMapping, 'tenantId'>): Promise<void> {
      await db.insertInto('mappings').values({ id: m.id, version: m.version, tenant_id: tenantId, name: m.name, spec: JSON.stringify(m.spec), created_at: m.createdAt }).execute();
    },
    /** A given version, or the newest when `version` is absent. */
    async get(id: string, version?: number | null): Promise<StoredMapping | undefined> {
      let q = byTenant().where('id', '=', id);
      q = version ? q.where('version', '=', version) : q.orderBy('version', 'desc').limit(1);
      const r = await q.executeTakeFirst();
      return r && toMapping(r);
    },
    async versions(id: string): Promise<{ version: number; name: string; createdAt: number }[]> {
      const rows = await db.selectFrom('mappings').select(['version', 'name', 'created_at']).where('tenant_id', '=', tenantId).where('id', '=', id).orderBy('version', 'desc').execute();
      return rows.map((r) => ({ version: r.version, name: r.name, createdAt: r.created_at }));
    },
    /** The newest version of each mapping. */
    async list(q: PageQuery = {}): Promise<Page<StoredMapping>> {
      const limit = q.limit ?? 50;
      let query = byTenant().where((eb) => eb('version', '=', eb.selectFrom('mappings as newer').select((e) => e.fn.max<number>('newer.version').as('v')).whereRef('newer.id', '=', 'mappings.id')));
      if (q.cursor) query = query.where('id', '<', q.cursor);
      return page((await query.orderBy('id', 'desc').limit(limit + 1).execute()).map(toMapping), limit);
    },
  };
}
