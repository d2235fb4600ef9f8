import type { Logger } from 'pino';
import type { WebhookHandler } from './router.ts';
import type { Store } from '../store/store.ts';
import { emit } from '../events/outbox.ts';

/** `log`: writes one line per event (id, source, type). Useful as a route target while wiring things up. */
export function logHandler(log: Logger): WebhookHandler {
  return async (event) => {
    log.info({ eventId: event.id, sourceId: event.sourceId, provider: event.provider, type: event.type, attempt: event.attempt }, 'webhook event');
  };
}

/**
 * Loads a user handler module (`WEBHOOK_HANDLERS={"name":"./path.ts"}`): its
 * default export is called with each routed event and an AbortSignal.
 */
export async function loadHandlerModule(name: string, path: string): Promise<WebhookHandler> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (err) {
    throw new Error(`webhook handler ${name}: cannot load ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (typeof mod.default !== 'function') throw new Error(`webhook handler ${name}: ${path} has no default export function`);
  return mod.default as WebhookHandler;
}

/**
 * `bus`: publishes the routed provider event, payload included, as a
 * `provider.event` domain event through the outbox. The dedup key is the
 * webhook event id, so a retried or replayed event is written once; the relay
 * publishes it (and consumers dedup by the envelope id).
 */
export function busHandler(store: Store): WebhookHandler {
  return async (event) => {
    await emit(store, {
      tenantId: event.tenantId, type: 'provider.event', dedupKey: `provider.event:${event.id}`,
      partitionKey: `${event.tenantId}:${event.sourceId}`, subject: `${event.provider}.${event.type}`,
      data: { eventId: event.id, sourceId: event.sourceId, provider: event.provider, type: event.type, payload: event.body },
    });
  };
}
