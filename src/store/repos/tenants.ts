import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

export interface Tenant {
  id: string;
  name: string;
  createdAt: number;
}

const toTenant = (r: DB['tenants']): Tenant => ({ id: r.id, name: r.name, createdAt: r.created_at });

/** Tenants are the one table that is not tenant-owned. */
export function tenantsRepo(db: Kysely<DB>) {
  return {
    async create(t: Tenant): Promise<void> {
      await db.insertInto('tenants').values({ id: t.id, name: t.name, created_at: t.createdAt }).execute();
    },
    async byName(name: string): Promise<Tenant | undefined> {
      const r = await db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
      return r && toTenant(r);
    },
    async byId(id: string): Promise<Tenant | undefined> {
      const r = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toTenant(r);
    },
    async list(): Promise<Tenant[]> {
      return (await db.selectFrom('tenants').selectAll().orderBy('id').execute()).map(toTenant);
    },
    async count(): Promise<number> {
      const r = await db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
