import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { MIGRATIONS } from './migrations/index.ts';

export interface MigrationState {
  name: string;
  executedAt: Date | null;
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

function check(results: MigrationResult[] | undefined, error: unknown): MigrationResult[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`.replace('  ', ' '), { cause: error });
  }
  return results ?? [];
}

export async function migrateUp(db: Kysely<any>): Promise<string[]> {
  const { results, error } = await migrator(db).migrateToLatest();
  return check(results, error).map((r) => r.migrationName);
}

/** Undoes the newest migration (or all of them with `all`). */
export async function migrateDown(db: Kysely<any>, all = false): Promise<string[]> {
  const m = migrator(db);
  if (all) {
    const { NO_MIGRATIONS } = await import('kysely');
    const { results, error } = await m.migrateTo(NO_MIGRATIONS);
    return check(results, error).map((r) => r.migrationName);
  }
  const { results, error } = await m.migrateDown();
  return check(results, error).map((r) => r.migrationName);
}

export async function migrationStatus(db: Kysely<any>): Promise<MigrationState[]> {
  const list = await migrator(db).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

export async function migrationsCurrent(db: Kysely<any>): Promise<boolean> {
  return (await migrationStatus(db)).every((m) => m.executedAt !== null);
}
