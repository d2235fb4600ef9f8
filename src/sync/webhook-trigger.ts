import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { WebhookChange } from '../connectors/types.ts';
import type { Store } from '../store/store.ts';
import type { WebhookHandler } from '../webhooks/router.ts';
import { definitionOf, type Side, type SyncDefinition } from './definition.ts';
import type { RecordChangeRef } from './engine.ts';
import type { SyncRunner } from './runner.ts';

/**
 * The `sync` webhook handler: a verified delivery becomes record changes
 * (the connector's `fromWebhook`), and every active sync of the tenant with
 * the webhook trigger whose source (or, bidirectional, target) connection is
 * of that provider, with the same model and matching parameters (Monday's
 * board), gets a `records` run of just those records. A sync that lists
 * `webhookSourceIds` only takes deliveries from those webhook sources;
 * otherwise provider and tenant decide. The dedup key is the event id, so a
 * retried or replayed delivery enqueues once per sync.
 */
export interface SyncTriggerDeps {
  store: Store;
  registry: ConnectorRegistry;
  runner: SyncRunner;
  log?: Logger;
}

const paramsMatch = (change: WebhookChange, params: Record<string, unknown>): boolean =>
  Object.entries(change.params ?? {}).every(([k, v]) => !(k in params) || String(params[k]) === String(v));

export function syncTriggerHandler(deps: SyncTriggerDeps): WebhookHandler {
  return async (event) => {
    const connector = deps.registry.get(event.provider);
    if (!connector?.fromWebhook) return;
    const changes = connector.fromWebhook({ provider: event.provider, type: event.type, body: event.body, headers: event.headers });
    if (changes.length === 0) return;
    const t = deps.store.forTenant(event.tenantId);
    const providers = new Map<string, string | undefined>();
    const providerOf = async (connectionId: string) => {
      if (!providers.has(connectionId)) providers.set(connectionId, (await t.connections.get(connectionId))?.provider);
      return providers.get(connectionId);
    };
    for (const row of await t.syncs.active()) {
      const def = definitionOf(row);
      if (!def.options.triggers.includes('webhook')) continue;
      if (def.options.webhookSourceIds && !def.options.webhookSourceIds.includes(event.sourceId)) continue;
      const refs = await refsFor(def, changes, event.provider, providerOf);
      if (refs.length === 0) continue;
      const queued = await deps.runner.enqueue(event.tenantId, def.id, { mode: 'records', trigger: 'webhook', changes: refs, dedupKey: `webhook:${event.id}` });
      deps.log?.info({ eventId: event.id, syncId: def.id, records: refs.length, runId: queued?.runId }, queued ? 'webhook queued a sync run' : 'webhook already queued this sync');
    }
  };
}

async function refsFor(def: SyncDefinition, changes: WebhookChange[], provider: string, providerOf: (id: string) => Promise<string | undefined>): Promise<RecordChangeRef[]> {
  const sides: Side[] = def.direction === 'bidirectional' ? ['source', 'target'] : ['source'];
  const refs: RecordChangeRef[] = [];
  for (const side of sides) {
    const end = def[side];
    if ((await providerOf(end.connectionId)) !== provider) continue;
    for (const c of changes) {
      if (c.model === end.model && paramsMatch(c, end.params)) refs.push({ side, id: c.id, ...(c.deleted ? { deleted: true } : {}) });
    }
  }
  return refs;
}
