import { HubError } from '../domain/errors.ts';
import { ConfigError } from '../config/load.ts';

/** The one-line error a CLI user sees, then exit code 1. No stack traces for expected failures. */
export function describeError(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  if (err instanceof HubError) return `${err.code}: ${err.message}`;
  const e = err as NodeJS.ErrnoException & { errors?: Error[] };
  if (e?.code === 'ECONNREFUSED' || e?.errors?.[0]?.message?.includes('ECONNREFUSED')) {
    return `database: cannot connect (${e.message || e.errors?.[0]?.message}); check DATABASE_URL and that the server is running`;
  }
  if (e?.code === 'ENOTFOUND') return `database: host not found (${e.message}); check DATABASE_URL`;
  if (e?.code === 'ER_ACCESS_DENIED_ERROR' || e?.code === '28P01' || e?.code === '28000') return `database: access denied; check the user and password in DATABASE_URL`;
  if (e?.code === '3D000' || e?.code === 'ER_BAD_DB_ERROR') return `database: ${e.message}; create it or fix DATABASE_URL`;
  if (e?.code === 'SQLITE_CANTOPEN') return `database: cannot open the SQLite file; check DATABASE_URL and the folder's permissions`;
  return (e?.message ?? String(err)).split('\n')[0] ?? 'unknown error';
}

export function fail(err: unknown): never {
  process.stderr.write(`switchyard: ${describeError(err)}\n`);
  process.exit(1);
}
