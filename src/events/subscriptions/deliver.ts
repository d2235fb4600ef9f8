import { createHmac } from 'node:crypto';
import type { Store } from '../../store/store.ts';
import { PermanentFailure, RetryLater, type JobKind } from '../../queue/types.ts';
import { compileMapping } from '../../transform/index.ts';
import type { ConnectorRuntime } from '../../connectors/runtime.ts';
import type { CloudEvent } from '../bus/envelope.ts';
import type { SubscriptionAction } from './actions.ts';
import { DELIVER_JOB } from './consumer.ts';
import { secretContext, type SecretBox } from './service.ts';

/** Standard Webhooks signature: base64 HMAC-SHA256 over `${id}.${timestamp}.${body}` with the whsec_ key. */
export function standardSignature(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

export interface DeliverDeps {
  store: Store;
  box: SecretBox;
  /** Present when connectors are wired; connector actions fail permanently without it. */
  runtime?: ConnectorRuntime;
  /** Enqueues a sync run; sync actions fail permanently without it. */
  triggerSync?: (tenantId: string, syncId: string, cause: { eventId: string }) => Promise<void>;
  fetch?: typeof fetch;
}

function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get('retry-after');
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

async function forward(deps: DeliverDeps, subId: string, sealed: string | null, action: Extract<SubscriptionAction, { kind: 'webhook' }>, event: CloudEvent): Promise<void> {
  const body = JSON.stringify(event);
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { ...action.headers, 'content-type': 'application/cloudevents+json', 'webhook-id': event.id, 'webhook-timestamp': String(ts), 'user-agent': 'Switchyard-Webhooks/1' };
  if (sealed) headers['webhook-signature'] = standardSignature(deps.box.open(sealed, secretContext(subId)), event.id, ts, body);
  const res = await (deps.fetch ?? fetch)(action.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(action.timeoutMs), redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status >= 200 && res.status < 300) return;
  // 410 Gone means the receiver wants no more; retrying cannot help.
  if (res.status === 410) throw new PermanentFailure(`receiver answered 410 Gone`);
  const wait = retryAfterMs(res);
  if ((res.status === 429 || res.status === 503) && wait !== undefined) throw new RetryLater(`receiver answered ${res.status}`, wait);
  throw new Error(`receiver answered ${res.status}`);
}

async function upsert(deps: DeliverDeps, tenantId: string, action: Extract<SubscriptionAction, { kind: 'connector' }>, event: CloudEvent): Promise<void> {
  if (!deps.runtime) throw new PermanentFailure('connectors are not available in this process');
  const compiled = compileMapping(action.mapping);
  if (!compiled.ok) throw new PermanentFailure(`mapping is invalid: ${compiled.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const mapped = compiled.mapper.forward(event.data);
  if (!mapped.ok) throw new PermanentFailure(`event does not map: ${mapped.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  const { model, ctx } = await deps.runtime.open(tenantId, action.connectionId, action.model, action.params);
  if (!model.upsert) throw new PermanentFailure(`model ${action.model} cannot write`);
  const [result] = await model.upsert(ctx, [{ record: mapped.record as Record<string, unknown> }]);
  if (!result || !result.ok) {
    const msg = result && !result.ok ? result.error : 'no result';
    if (result && !result.ok && !result.retryable) throw new PermanentFailure(`upsert refused: ${msg}`);
    throw new Error(`upsert failed: ${msg}`);
  }
}

/**
 * The delivery job: one event to one subscription's action, retried on the
 * queue's schedule, dead-lettered after, replayable from the API.
 */
export function deliverJob(deps: DeliverDeps): JobKind {
  return {
    kind: DELIVER_JOB,
    handle: async (job) => {
      const { subscriptionId, event } = job.payload as unknown as { subscriptionId: string; event: CloudEvent };
      const sub = await deps.store.forTenant(job.tenantId).subscriptions.get(subscriptionId);
      if (!sub) throw new PermanentFailure(`subscription ${subscriptionId} no longer exists`);
      const action = sub.action as SubscriptionAction;
      if (action.kind === 'webhook') return forward(deps, sub.id, sub.sealedSecret, action, event);
      if (action.kind === 'connector') return upsert(deps, job.tenantId, action, event);
      if (!deps.triggerSync) throw new PermanentFailure('syncs are not available in this process');
      await deps.triggerSync(job.tenantId, action.syncId, { eventId: event.id });
    },
  };
}
