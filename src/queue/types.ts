import type { Store } from '../store/store.ts';

/** A source of randomness in [0, 1); injected so jitter is testable. */
export type Random = () => number;

/** Every queue payload is versioned so an old job still parses after a deploy. */
export interface JobPayload {
  kind: string;
  v: number;
  [field: string]: unknown;
}

export interface ClaimedJob {
  id: string;
  tenantId: string;
  kind: string;
  payload: JobPayload;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  orderingKey: string | null;
}

export interface JobKind {
  kind: string;
  /** Delays before each retry; default DEFAULT_RETRY_SCHEDULE_MS. */
  retrySchedule?: readonly number[];
  handle: (job: ClaimedJob, signal: AbortSignal) => Promise<void>;
  /**
   * Runs inside the transaction that records the job's final outcome
   * (completed or dead), with that transaction's store: what it writes
   * (an outbox event, say) commits if and only if the outcome does.
   */
  onSettled?: (tx: Store, job: ClaimedJob, outcome: { status: 'completed' } | { status: 'dead'; error: string }) => Promise<void>;
}

/** Thrown by a handler to retry at a time the callee named (HTTP 429/503 Retry-After). */
export class RetryLater extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'RetryLater';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Thrown by a handler when retrying cannot help; the job goes straight to dead. */
export class PermanentFailure extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'PermanentFailure';
  }
}
