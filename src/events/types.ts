/**
 * Every domain event type the hub emits, with the JSON schema of its `data`.
 * docs/events.md is checked against this list by a test, so the two agree.
 */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;

export const EVENT_TYPES = {
  'webhook.received': {
    description: 'A stored webhook delivery reached processing: emitted once per event, by its first attempt, before any handler runs.',
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
  'sync.run.started': {
    description: 'A sync run began its first attempt (same transaction as the run turning `running`).',
    data: { type: 'object', required: ['syncId', 'runId', 'mode', 'trigger'], properties: { syncId: str, runId: str, mode: str, trigger: str } },
  },
  'sync.run.completed': {
    description: 'A sync run finished; counts are the persisted progress (same transaction as the run completing).',
    data: { type: 'object', required: ['syncId', 'runId', 'mode', 'progress'], properties: { syncId: str, runId: str, mode: str, progress: { type: 'object', additionalProperties: int } } },
  },
  'sync.run.failed': {
    description: 'A sync run gave up after its retries (same transaction as the run failing).',
    data: { type: 'object', required: ['syncId', 'runId', 'mode', 'error'], properties: { syncId: str, runId: str, mode: str, error: str, progress: { type: 'object', additionalProperties: int } } },
  },
  'record.synced': {
    description: 'One record was written to the other side (same transaction as its record link). `direction` is `forward` (source to target) or `reverse`.',
    data: {
      type: 'object', required: ['syncId', 'runId', 'direction', 'sourceId', 'targetId', 'action'],
      properties: { syncId: str, runId: str, direction: { enum: ['forward', 'reverse'] }, sourceId: str, targetId: str, action: { enum: ['created', 'updated', 'deleted', 'soft_deleted'] } },
    },
  },
  'conflict.created': {
    description: 'A record changed on both sides since the last sync. `resolution` says what the policy did (`stored` for `manual`).',
    data: {
      type: 'object', required: ['syncId', 'sourceId', 'targetId', 'policy', 'resolution', 'fields'],
      properties: { conflictId: str, syncId: str, runId: str, sourceId: str, targetId: str, policy: str, resolution: str, fields: { type: 'array', items: str } },
    },
  },
} as const;

export type EventType = keyof typeof EVENT_TYPES;
