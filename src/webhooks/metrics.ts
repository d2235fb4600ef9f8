import { Counter, Histogram, type Registry } from 'prom-client';

export function webhookMetrics(registry: Registry) {
  return {
    events: new Counter({
      name: 'webhook_events_total',
      help: 'Webhook deliveries received, by provider and outcome (accepted, duplicate, handshake, or the error code)',
      labelNames: ['provider', 'outcome'] as const,
      registers: [registry],
    }),
    ingestSeconds: new Histogram({
      name: 'webhook_ingest_duration_seconds',
      help: 'Time from reading the body to the durable commit, by provider',
      labelNames: ['provider'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof webhookMetrics>;
