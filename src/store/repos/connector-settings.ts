import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** A tenant's connector switches; a connector with no row is on. */
export function connectorSettingsRepo(db: Kysely<DB>, tenantId: string) {
  return {
    async disabled(): Promise<Set<string>> {
      const rows = await db.selectFrom('tenant_connectors').select('provider').where('tenant_id', '=', tenantId).where('enabled', '=', 0).execute();
      return new Set(rows.map((r) => r.provider));
    },
    async set(provider: string, enabled: boolean, now: number): Promise<void> {
      const r = await db.updateTable('tenant_connectors').set({ enabled: enabled ? 1 : 0, updated_at: now })
        .where('tenant_id', '=', tenantId).where('provider', '=', provider).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) await db.insertInto('tenant_connectors').values({ tenant_id: tenantId, provider, enabled: enabled ? 1 : 0, updated_at: now }).execute();
    },
  };
}
