import { monotonicFactory } from 'ulid';
import { newId } from '../domain/ids.ts';

/**
 * Ids for the sync module's own rows. `sync_` comes from the shared catalog;
 * mappings, runs and conflicts use prefixes of their own until the domain
 * catalog lists them (same ULID shape, so they sort by creation time).
 */
const ulid = monotonicFactory();

export const SYNC_ID_PREFIXES = { mapping: 'map', run: 'run', conflict: 'cfl' } as const;

export function syncId(now = Date.now()): string {
  return newId('sync', now);
}

export function syncRowId(kind: keyof typeof SYNC_ID_PREFIXES, now = Date.now()): string {
  return `${SYNC_ID_PREFIXES[kind]}_${ulid(now).toLowerCase()}`;
}

/** A run started by a job with no run id of its own (a cron tick) takes its id from the job's. */
export const runIdForJob = (jobId: string): string => `run_${jobId.slice(jobId.indexOf('_') + 1)}`;
