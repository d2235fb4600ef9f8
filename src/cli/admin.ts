import type { Command } from 'commander';
import type { Config } from '../config/schema.ts';
import { openStore } from '../main.ts';
import type { Store } from '../store/store.ts';
import { migrateDown, migrateUp, migrationStatus, migrationsCurrent } from '../store/migrate.ts';
import { createApiKey, createTenant, revokeApiKey } from '../tenancy/tenants.ts';
import { HubError } from '../domain/errors.ts';
import { registerVaultCommands } from './vault.ts';

type LoadConfig = () => Config;

async function withStore<T>(loadConfig: LoadConfig, fn: (store: Store, db: ReturnType<typeof openStore>['db']) => Promise<T>): Promise<T> {
  const { db, store } = openStore(loadConfig());
  try {
    return await fn(store, db);
  } finally {
    await db.close();
  }
}

async function needCurrentSchema(store: Store): Promise<void> {
  if (!(await store.migrationsCurrent())) throw new HubError('unavailable', 'the database schema is not current; run `switchyard migrate up` first');
}

async function tenantId(store: Store, name: string): Promise<string> {
  const t = await store.tenants.byName(name);
  if (!t) throw new HubError('not_found', `tenant ${name} does not exist (create it with: switchyard tenants create ${name})`);
  return t.id;
}

const CLI = { id: 'cli' };

export function registerAdminCommands(program: Command, loadConfig: LoadConfig): void {
  program.command('migrate')
    .description('apply, undo or show database migrations')
    .argument('[action]', 'up | down | status', 'up')
    .option('--all', 'with down: undo every migration')
    .action(async (action: string, opts: { all?: boolean }) => {
      await withStore(loadConfig, async (_store, db) => {
        if (action === 'up') {
          const ran = await migrateUp(db.db);
          process.stdout.write(ran.length ? ran.map((n) => `applied ${n}\n`).join('') : 'already current\n');
        } else if (action === 'down') {
          const ran = await migrateDown(db.db, opts.all === true);
          process.stdout.write(ran.length ? ran.map((n) => `reverted ${n}\n`).join('') : 'nothing to revert\n');
        } else if (action === 'status') {
          for (const m of await migrationStatus(db.db)) process.stdout.write(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ''}\n`);
          process.stdout.write(`${(await migrationsCurrent(db.db)) ? 'current' : 'pending migrations'}\n`);
        } else {
          throw new HubError('bad_request', `migrate: unknown action ${action} (use up, down or status)`);
        }
      });
    });

  const tenants = program.command('tenants').description('manage tenants');
  tenants.command('create').argument('<name>').description('create a tenant').action(async (name: string) => {
    await withStore(loadConfig, async (store) => {
      await needCurrentSchema(store);
      const t = await createTenant(store, name, CLI);
      process.stdout.write(`${t.id}\n`);
    });
  });
  tenants.command('list').description('list tenants').action(async () => {
    await withStore(loadConfig, async (store) => {
      await needCurrentSchema(store);
      for (const t of await store.tenants.list()) process.stdout.write(`${t.id}  ${t.name}\n`);
    });
  });

  const keys = program.command('keys').description('manage API keys');
  keys.command('create').description('create an API key; the key is the last line of stdout, shown once')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--scopes <list>', 'comma-separated scopes', 'admin')
    .option('--name <name>', 'a label for the key', 'cli')
    .action(async (opts: { tenant: string; scopes: string; name: string }) => {
      await withStore(loadConfig, async (store) => {
        await needCurrentSchema(store);
        const id = await tenantId(store, opts.tenant);
        const { key, record } = await createApiKey(store, id, { name: opts.name, scopes: opts.scopes.split(',') }, CLI);
        process.stdout.write(`created ${record.id} for tenant ${opts.tenant} with scopes ${record.scopes.join(',')}\n${key}\n`);
      });
    });
  keys.command('list').description('list API keys of a tenant').requiredOption('--tenant <name>', 'tenant name').action(async (opts: { tenant: string }) => {
    await withStore(loadConfig, async (store) => {
      await needCurrentSchema(store);
      const repo = store.forTenant(await tenantId(store, opts.tenant)).apiKeys;
      let cursor: string | undefined;
      do {
        const p = await repo.list({ limit: 200, ...(cursor ? { cursor } : {}) });
        for (const k of p.items) process.stdout.write(`${k.id}  sy_${k.prefix}_…  ${k.revokedAt ? 'revoked' : 'active '}  ${k.scopes.join(',')}  ${k.name}\n`);
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
    });
  });
  registerVaultCommands(keys, loadConfig);
  keys.command('revoke').description('revoke an API key').argument('<id>').requiredOption('--tenant <name>', 'tenant name').action(async (id: string, opts: { tenant: string }) => {
    await withStore(loadConfig, async (store) => {
      await needCurrentSchema(store);
      await revokeApiKey(store, await tenantId(store, opts.tenant), id, CLI);
      process.stdout.write(`revoked ${id}\n`);
    });
  });
}
