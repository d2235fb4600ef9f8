import type { Store } from '../store/store.ts';
import { PermanentFailure, type JobKind } from '../queue/types.ts';
import { PROCESS_JOB } from './group-commit.ts';
import type { DeliveredEvent, WebhookRouter } from './router.ts';
import { emit } from '../events/outbox.ts';

function bodyOf(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch (_err) {
      return text;
    }
  }
  return text;
}

/**
 * The job that processes a stored webhook event: load it, run every handler
 * its routes name. A handler that throws fails the job, which retries on the
 * queue's schedule and ends dead-lettered; handlers therefore see an event
 * at least once and must be idempotent (the event id is stable).
 */
export function webhookProcessJob(store: Store, router: WebhookRouter, opts: { retrySchedule?: readonly number[] } = {}): JobKind {
  return {
    kind: PROCESS_JOB,
    ...(opts.retrySchedule ? { retrySchedule: opts.retrySchedule } : {}),
    handle: async (job, signal) => {
      const eventId = job.payload.eventId;
      if (typeof eventId !== 'string') throw new PermanentFailure(`payload v${job.payload.v} has no eventId`);
      const stored = await store.webhookIngest.byId(job.tenantId, eventId);
      if (!stored) throw new PermanentFailure(`event ${eventId} no longer exists`);
      const event: DeliveredEvent = {
        id: stored.id, tenantId: job.tenantId, sourceId: stored.sourceId, provider: stored.provider, type: stored.eventType,
        receivedAt: stored.receivedAt, headers: stored.headers, body: bodyOf(stored.body, stored.headers['content-type']),
        rawBody: stored.body, attempt: job.attempt,
      };
      // Emitted here rather than at ingest, which stores only what it must
      // (docs/webhooks.md). The dedup key makes it once per event, whatever
      // the retries and replays, and it is written before any handler runs.
      await emit(store, {
        tenantId: event.tenantId, type: 'webhook.received', dedupKey: `webhook.received:${event.id}`, subject: `${event.provider}.${event.type}`,
        data: { eventId: event.id, sourceId: event.sourceId, provider: event.provider, type: event.type, receivedAt: event.receivedAt },
      });
      for (const name of router.handlersFor(event.provider, event.type)) {
        const handler = router.handlers.get(name)!;
        try {
          await handler(event, signal);
        } catch (err) {
          throw new Error(`handler ${name} failed: ${(err as Error).message}`, { cause: err });
        }
      }
    },
    onSettled: async (tx, job, outcome) => {
      const { eventId, provider, type } = job.payload as unknown as { eventId: string; provider?: string; type?: string };
      const base = { eventId, provider: provider ?? 'unknown', type: type ?? 'unknown', attempts: job.attempt };
      // A replayed event settles again: each settlement is its own event.
      const once = `${eventId}:${job.attempt}`;
      if (outcome.status === 'completed') await emit(tx, { tenantId: job.tenantId, type: 'webhook.processed', dedupKey: `webhook.processed:${once}`, subject: `${base.provider}.${base.type}`, data: base });
      else await emit(tx, { tenantId: job.tenantId, type: 'webhook.dead', dedupKey: `webhook.dead:${once}`, subject: `${base.provider}.${base.type}`, data: { ...base, error: outcome.error } });
    },
  };
}
