import type { Migration } from 'kysely';
import * as m001 from './001-foundation.ts';
import * as m002 from './002-queue.ts';
import * as m003 from './003-webhooks.ts';
import * as m004 from './004-connections.ts';
import * as m005 from './005-outbox.ts';
import * as m006 from './006-subscriptions.ts';
import * as m007 from './007-sync.ts';
import * as m008 from './008-connector-settings.ts';
import * as m009 from './009-ingest-indexes.ts';

/**
 * Every migration, in order. Names sort lexically; a new migration is a new
 * file plus one line here.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': m001,
  '002-queue': m002,
  '003-webhooks': m003,
  '004-connections': m004,
  '005-outbox': m005,
  '006-subscriptions': m006,
  '007-sync': m007,
  '008-connector-settings': m008,
  '009-ingest-indexes': m009,
};
