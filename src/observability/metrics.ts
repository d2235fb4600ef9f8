import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per hub instance (no global default registry), so tests and
 * several hubs in one process never share counters.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'api_auth_failures_total',
    help: 'Rejected API requests by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, authFailures };
}

export type Metrics = ReturnType<typeof createMetrics>;
