import type { FakeContext } from '../core/server.ts';
import { RateWindow } from '../core/rate-window.ts';
import { SfStore, type Rec } from './store.ts';
import type { ObjectDef } from './schema.ts';
import type { SalesforceKnobs } from './knobs.ts';
import type { IngestJob, QueryJob } from './bulk-jobs.ts';

/** A query's frozen result set, paged through `/query/{locator}-{offset}`. */
export interface Cursor {
  obj: ObjectDef;
  fields: string[];
  rows: Rec[];
  batchSize: number;
}

export interface SalesforceState {
  store: SfStore;
  cursors: Map<string, Cursor>;
  ingestJobs: Map<string, IngestJob>;
  queryJobs: Map<string, QueryJob>;
  /** The org's rolling API request budget (DailyApiRequests). */
  api: RateWindow;
  /** Budget left after the latest counted call (what /limits reports). */
  apiRemaining: number;
  serial: number;
}

export type SfCtx = FakeContext<SalesforceState, SalesforceKnobs>;

export function createState(): SalesforceState {
  return { store: new SfStore(), cursors: new Map(), ingestJobs: new Map(), queryJobs: new Map(), api: new RateWindow(1, 1), apiRemaining: Number.NaN, serial: 0 };
}

export const apiBase = (version: string): string => `/services/data/v${version}`;
