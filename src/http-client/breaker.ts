import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { ProviderError } from './errors.ts';
import type { ProviderProfile } from './profile.ts';
import type { ProviderResponse } from './types.ts';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface Health {
  provider: string;
  connectionId: string;
  breaker: BreakerState;
  /** When the breaker entered its current state (ISO). */
  since: string;
  /** While open: when the next call will be let through as a probe (ISO). */
  probeAfter?: string;
  consecutiveFailures: number;
  /** The last failure's kind: `timeout`, `network`, or `http_5xx`; never a message, which could hold provider data. */
  lastFailure?: string;
}

const NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * The circuit breaker of one provider connection. A failure is an attempt
 * with no answer (network error, timeout) or a 5xx; a 429 or a 4xx means the
 * provider is up and answering, so it does not count.
 */
export class ConnectionBreaker {
  readonly policy: CircuitBreakerPolicy;
  private state: BreakerState = 'closed';
  private since = Date.now();
  private failures = 0;
  private lastFailure: string | undefined;
  private readonly halfOpenAfterMs: number;
  private readonly ids: { provider: string; connectionId: string };

  constructor(profile: ProviderProfile, connectionId: string, onChange?: (h: Health) => void) {
    this.ids = { provider: profile.provider, connectionId };
    this.halfOpenAfterMs = profile.breaker.halfOpenAfterMs;
    const failing = handleWhen((err) => err instanceof ProviderError && (err.code === 'provider_network_error' || err.code === 'provider_timeout'))
      .orWhenResult((r) => (r as ProviderResponse).status >= 500);
    this.policy = circuitBreaker(failing, {
      halfOpenAfter: profile.breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(profile.breaker.consecutiveFailures),
    });
    this.policy.onStateChange((s) => {
      this.state = NAMES[s];
      this.since = Date.now();
      if (s === CircuitState.Closed) this.failures = 0;
      onChange?.(this.health());
    });
    this.policy.onFailure(({ reason, handled }) => {
      if (!handled) return;
      this.failures += 1;
      this.lastFailure = 'error' in reason ? (reason.error instanceof ProviderError && reason.error.code === 'provider_timeout' ? 'timeout' : 'network') : 'http_5xx';
    });
    this.policy.onSuccess(() => {
      this.failures = 0;
    });
  }

  health(): Health {
    const h: Health = { ...this.ids, breaker: this.state, since: new Date(this.since).toISOString(), consecutiveFailures: this.failures };
    if (this.state === 'open') h.probeAfter = new Date(this.since + this.halfOpenAfterMs).toISOString();
    if (this.lastFailure) h.lastFailure = this.lastFailure;
    return h;
  }
}
