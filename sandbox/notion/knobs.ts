import type { FakeContext } from '../core/server.ts';
import type { NotionState } from './store.ts';

/** Behaviour switches; UNCONFIRMED upstream facts are knobs with a sensible default. */
export interface NotionKnobs {
  /** Requests allowed per window and token: "an average of 3 requests per second", bursts allowed. */
  rateLimit: number;
  rateWindowMs: number;
  /** Retry-After seconds sent by the 429-burst fault (integer seconds upstream). */
  retryAfterSec: number;
  /** Reject requests without `Notion-Version` (upstream does, with `missing_version`). */
  requireVersionHeader: boolean;
  /** `last_edited_time` / `created_time` at minute precision, as Notion stores them. */
  roundTimesToMinute: boolean;
  /** `api_version` written into webhook payloads. */
  webhookApiVersion: string;
}

export const defaultKnobs: NotionKnobs = {
  rateLimit: 30,
  rateWindowMs: 10_000,
  retryAfterSec: 1,
  requireVersionHeader: true,
  roundTimesToMinute: true,
  webhookApiVersion: '2025-09-03',
};

export type NotionCtx = FakeContext<NotionState, NotionKnobs>;
