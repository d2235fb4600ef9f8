import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { isUniqueViolation } from '../dialect.ts';

/**
 * Named leases: at most one holder at a time per name, on every dialect.
 * `acquire` both takes a free or expired lease and renews one already held;
 * the UPDATE's row count says who won.
 */
export function leasesRepo(db: Kysely<DB>) {
  return {
    async acquire(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
      const until = now + ttlMs;
      const r = await db.updateTable('leases').set({ holder, until }).where('name', '=', name)
        .where((eb) => eb.or([eb('holder', '=', holder), eb('holder', 'is', null), eb('until', '<', now)])).executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) return true;
      try {
        await db.insertInto('leases').values({ name, holder, until }).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async release(name: string, holder: string): Promise<void> {
      await db.updateTable('leases').set({ holder: null, until: 0 }).where('name', '=', name).where('holder', '=', holder).execute();
    },
  };
}
