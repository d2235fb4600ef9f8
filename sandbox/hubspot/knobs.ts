import type { FakeContext } from '../core/server.ts';
import type { HubSpotState } from './store.ts';

/** Behaviour switches for the HubSpot fake; defaults follow PROVIDERS.md §1. */
export interface HubSpotKnobs {
  portalId: number;
  appId: number;
  /** Burst budget per app: 100 (Free/Starter) or 190 (Pro/Enterprise) per window. */
  burstLimit: number;
  burstWindowMs: number;
  /** Daily budget shared by the account; only private-app tokens see it (OAuth has none). */
  dailyLimit: number;
  /** The search API's own limit: 5 requests per second per account. */
  searchLimit: number;
  searchWindowMs: number;
  /** Whether search responses carry X-HubSpot-RateLimit-* headers (UNCONFIRMED; believed absent). */
  searchRateHeaders: boolean;
  /** New writes show up in search only after this delay ("short delay" per the docs). */
  searchIndexDelayMs: number;
  /** Which signature scheme outgoing webhooks carry. */
  webhookSignatureVersion: 'v1' | 'v2' | 'v3';
  /** Events per webhook request (UNCONFIRMED, widely quoted as 100). */
  webhookMaxEvents: number;
}

export const defaultKnobs: HubSpotKnobs = {
  portalId: 62515,
  appId: 54321,
  burstLimit: 100,
  burstWindowMs: 10_000,
  dailyLimit: 250_000,
  searchLimit: 5,
  searchWindowMs: 1_000,
  searchRateHeaders: false,
  searchIndexDelayMs: 0,
  webhookSignatureVersion: 'v3',
  webhookMaxEvents: 100,
};

export type HubSpotContext = FakeContext<HubSpotState, HubSpotKnobs>;
