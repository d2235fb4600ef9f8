import type { FakeContext } from '../core/server.ts';
import type { MondayState } from './store.ts';

/** Behaviour switches; UNCONFIRMED upstream facts are knobs with a sensible default. */
export interface MondayKnobs {
  /** Per-token complexity budget per window ([S] 10M/min for personal tokens; app tokens 5M). */
  complexityBudget: number;
  /** Complexity window length; 60 s upstream, shorten in tests. */
  complexityWindowMs: number;
  /** Max complexity of a single query (5M upstream). */
  maxQueryComplexity: number;
  /** Request-count limit per window ("Rate Limit Exceeded"); number UNCONFIRMED upstream. */
  requestsPerWindow: number;
  requestWindowMs: number;
  /** Whether `Authorization: Bearer <token>` is accepted as well as the raw token (UNCONFIRMED). */
  acceptBearerPrefix: boolean;
  /** API version assumed when no `API-Version` header is sent. */
  defaultApiVersion: string;
  /** Lifetime of an `items_page` cursor (60 min upstream). */
  cursorTtlSec: number;
  /** Whether `__last_updated__` / `__creation_log__` rules work in `query_params` (UNCONFIRMED). */
  systemColumnRules: boolean;
  /** App signing secret: signs the JWT of webhooks made with `create_webhook`. */
  signingSecret: string;
  /** Lifetime of the webhook JWT and its `shortLivedToken`. */
  webhookJwtTtlSec: number;
  /** Whether `create_webhook` runs the challenge handshake against the URL first. */
  verifyWebhookUrl: boolean;
  /** Body of the 401 answer: the plain form seen in the wild, or a GraphQL-style error (UNCONFIRMED). */
  unauthenticatedBody: 'plain' | 'graphql';
}

export const defaultKnobs: MondayKnobs = {
  complexityBudget: 10_000_000,
  complexityWindowMs: 60_000,
  maxQueryComplexity: 5_000_000,
  requestsPerWindow: 5_000,
  requestWindowMs: 60_000,
  acceptBearerPrefix: true,
  defaultApiVersion: '2025-07',
  cursorTtlSec: 3600,
  systemColumnRules: true,
  signingSecret: 'monday-sandbox-signing-secret',
  webhookJwtTtlSec: 300,
  verifyWebhookUrl: true,
  unauthenticatedBody: 'plain',
};

export type MondayCtx = FakeContext<MondayState, MondayKnobs>;
