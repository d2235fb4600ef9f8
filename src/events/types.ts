/**
 * Every domain event type the hub emits, with the JSON schema of its `data`.
 * docs/events.md is checked against this list by a test, so the two agree.
 */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;

export const EVENT_TYPES = {
  'webhook.received': {
    description: 'A verified webhook delivery was stored (same transaction as the event row).',
    data: { type: 'object', required: ['eventId', 'sourceId', 'provider', 'type', 'receivedAt'], properties: { eventId: str, sourceId: str, provider: str, type: str, receivedAt: int } },
  },
  'webhook.processed': {
    description: 'Every handler routed for a webhook event succeeded (same transaction as the job completing).',
    data: { type: 'object', required: ['eventId', 'provider', 'type', 'attempts'], properties: { eventId: str, provider: str, type: str, attempts: int } },
  },
  'webhook.dead': {
    description: 'A webhook event exhausted its retries (same transaction as the job going dead).',
    data: { type: 'object', required: ['eventId', 'provider', 'type', 'attempts', 'error'], properties: { eventId: str, provider: str, type: str, attempts: int, error: str } },
  },
  'provider.event': {
    description: 'The `bus` webhook handler: the routed provider event with its payload. `subject` is `{provider}.{type}`.',
    data: { type: 'object', required: ['eventId', 'sourceId', 'provider', 'type', 'payload'], properties: { eventId: str, sourceId: str, provider: str, type: str, payload: {} } },
  },
} as const;

export type EventType = keyof typeof EVENT_TYPES;
