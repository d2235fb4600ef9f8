import type { FakeContext } from '../core/server.ts';
import type { StripeState } from './store.ts';

/** Behaviour switches for the Stripe fake; defaults follow PROVIDERS.md §7 (sandbox mode). */
export interface StripeKnobs {
  /** Global request budget per key: 25/s in sandbox (test) mode, 100/s live. */
  rateLimit: number;
  rateWindowMs: number;
  /** Events older than this are not listed (Stripe keeps 30 days). */
  eventRetentionDays: number;
}

export const defaultKnobs: StripeKnobs = { rateLimit: 25, rateWindowMs: 1_000, eventRetentionDays: 30 };

export type StripeContext = FakeContext<StripeState, StripeKnobs>;
