import type { Config } from '../config/schema.ts';
import { createHub } from '../main.ts';
import { bootstrapDefaultTenant } from '../tenancy/tenants.ts';

export type Role = 'all' | 'api' | 'worker' | 'scheduler';
export const ROLES: readonly Role[] = ['all', 'api', 'worker', 'scheduler'];

/**
 * `switchyard start`: migrate, bootstrap on an empty database, serve, and
 * shut down gracefully on SIGTERM/SIGINT (stop accepting, drain, close the DB).
 */
export async function start(config: Config, role: Role): Promise<void> {
  const hub = await createHub(config, { roles: { api: role === 'all' || role === 'api', worker: role === 'all' || role === 'worker', scheduler: role === 'all' || role === 'scheduler' } });
  // Only a process that serves the API can show the bootstrap key to anyone.
  const first = role === 'all' || role === 'api' ? await bootstrapDefaultTenant(hub.store) : undefined;
  const url = await hub.listen();
  hub.logger.info({ url: url || undefined, role, database: hub.db.describe }, url ? 'switchyard listening' : `switchyard ${role} running`);
  if (first && url) {
    process.stdout.write([
      '',
      `Created tenant "default" with an admin API key. It is shown once and never stored in clear:`,
      '',
      `  ${first.key}`,
      '',
      `Try:  curl -H "Authorization: Bearer ${first.key}" ${url}/api/v1/me`,
      `More keys:  npm run switchyard -- keys create --tenant default --scopes webhooks:read,webhooks:write`,
      `API docs:   ${url}/docs`,
      '',
    ].join('\n') + '\n');
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    hub.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      hub.logger.error('shutdown grace period exceeded; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    hub.close().then(
      () => {
        hub.logger.info('stopped');
        hub.logger.flush?.();
        process.exitCode = 0;
      },
      (err: unknown) => {
        hub.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
