import { emit, type DomainEvent } from '../events/outbox.ts';
import type { RecordLink } from '../store/repos/sync-links.ts';
import type { Side } from './definition.ts';
import type { RunContext } from './run-context.ts';
import { setLeaf } from './views.ts';

/**
 * Records deleted on one side, handled by the sync's delete policy:
 * `propagate` deletes the linked record on the other side and the link;
 * `soft_mark` keeps the other record, writes the configured mark to it (when
 * the target survives) and remembers which side went; `ignore` leaves both.
 */
export async function applyDeletes(rc: RunContext, deletedOn: Side, ids: readonly string[]): Promise<{ retryableFailures: number }> {
  if (ids.length === 0) return { retryableFailures: 0 };
  const policy = rc.def.options.delete;
  const t = rc.store.forTenant(rc.tenantId);
  const links = deletedOn === 'source' ? await t.recordLinks.bySourceIds(rc.def.id, ids) : await t.recordLinks.byTargetIds(rc.def.id, ids);
  const live = [...links.values()].filter((l) => l.deletedSide === null);
  if (policy.policy === 'ignore' || live.length === 0) {
    rc.progress.add('skipped', ids.length);
    return { retryableFailures: 0 };
  }
  const other: Side = deletedOn === 'source' ? 'target' : 'source';
  const otherId = (l: RecordLink) => (other === 'target' ? l.targetId : l.sourceId);
  const fromId = (l: RecordLink) => (deletedOn === 'source' ? l.sourceId : l.targetId);
  const { model, ctx } = other === 'target' ? rc.target : rc.source;
  const done: RecordLink[] = [];
  let retryableFailures = 0;
  const fail = (l: RecordLink, why: string, retryable: boolean) => {
    if (retryable && !rc.finalAttempt) return void retryableFailures++;
    rc.progress.fail(deletedOn, fromId(l), `${policy.policy} to the ${other}: ${why}`);
  };

  if (policy.policy === 'propagate') {
    if (!model.delete) {
      for (const l of live) fail(l, `model ${model.name} cannot delete`, false);
    } else {
      const results = await model.delete(ctx, live.map(otherId));
      const byId = new Map(results.map((r) => [r.id, r]));
      for (const l of live) {
        const r = byId.get(otherId(l));
        if (r?.ok) done.push(l);
        else fail(l, r && !r.ok ? r.error : 'no result', r ? r.retryable : true);
      }
    }
  } else if (policy.mark && other === 'target' && model.upsert) {
    const mark: Record<string, unknown> = {};
    setLeaf(mark, policy.mark.path, policy.mark.value);
    const results = await model.upsert(ctx, live.map((l) => ({ id: otherId(l), record: mark })));
    live.forEach((l, i) => {
      const r = results[i];
      if (r?.ok) done.push(l);
      else fail(l, r && !r.ok ? r.error : 'no result', r && !r.ok ? r.retryable : true);
    });
  } else {
    done.push(...live);
  }

  const now = rc.now();
  const action = policy.policy === 'propagate' ? 'deleted' : 'soft_deleted';
  const events: DomainEvent[] = done.map((l) => ({
    tenantId: rc.tenantId, type: 'record.synced', partitionKey: `${rc.tenantId}:${rc.def.id}`, subject: rc.def.id,
    dedupKey: `record.synced:${rc.runId}:${action}:${l.sourceId}`,
    data: { syncId: rc.def.id, runId: rc.runId, direction: other === 'target' ? 'forward' : 'reverse', sourceId: l.sourceId, targetId: l.targetId, action },
  }));
  await rc.store.transaction(async (tx) => {
    const tt = tx.forTenant(rc.tenantId);
    if (policy.policy === 'propagate') await tt.recordLinks.remove(rc.def.id, done.map((l) => l.sourceId));
    else for (const l of done) await tt.recordLinks.update(rc.def.id, { ...l, deletedSide: deletedOn, syncedAt: now });
    if (rc.recordEvents && events.length > 0) await emit(tx, ...events);
  });
  rc.progress.add('deleted', done.length);
  return { retryableFailures };
}
