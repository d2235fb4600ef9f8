import type { UpsertInput, UpsertResult } from '../connectors/types.ts';
import { emit, type DomainEvent } from '../events/outbox.ts';
import type { RecordLink } from '../store/repos/sync-links.ts';
import type { Side } from './definition.ts';
import type { RunContext } from './run-context.ts';
import { hashView, type View } from './views.ts';

/**
 * One write to one side of a record pair, with the link it leaves behind if
 * it succeeds. Ops are planned per page, sent in batches of the model's
 * limit, and each batch's links and `record.synced` events commit together
 * right after the provider answers, so a crash loses at most the batch in
 * flight (and a create retried after one is matched by the key field).
 */
export interface WriteOp {
  /** The side written to. */
  side: Side;
  /** The id of the pair on the side that was read (source id for forward writes, target id for reverse). */
  fromId: string;
  /** The record's id on the written side; absent = create. */
  id?: string;
  record: Record<string, unknown>;
  matchField?: string;
  link?: RecordLink;
  next: { sourceView: View; targetView: View; sourceModifiedAt: number | null; targetModifiedAt: number | null };
}

/** What `applyOps` reports, for callers that must forget stale snapshots of what was just written. */
export interface WriteOutcome {
  writtenTargetIds: string[];
  writtenSourceIds: string[];
  retryableFailures: number;
}

export async function applyOps(rc: RunContext, ops: WriteOp[]): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { writtenTargetIds: [], writtenSourceIds: [], retryableFailures: 0 };
  for (const side of ['target', 'source'] as const) {
    const mine = ops.filter((o) => o.side === side);
    const opened = side === 'target' ? rc.target : rc.source;
    const limit = Math.max(1, opened.model.batchLimit);
    for (let i = 0; i < mine.length; i += limit) {
      const batch = mine.slice(i, i + limit);
      const results = await upsert(rc, side, batch);
      await record(rc, side, batch, results, outcome);
    }
  }
  return outcome;
}

async function upsert(rc: RunContext, side: Side, batch: WriteOp[]): Promise<UpsertResult[]> {
  const { model, ctx } = side === 'target' ? rc.target : rc.source;
  if (!model.upsert) return batch.map(() => ({ ok: false, error: `model ${model.name} cannot be written`, retryable: false }));
  const inputs: UpsertInput[] = batch.map((o) => ({ record: o.record, ...(o.id ? { id: o.id } : {}), ...(!o.id && o.matchField ? { matchField: o.matchField } : {}) }));
  return model.upsert(ctx, inputs);
}

async function record(rc: RunContext, side: Side, batch: WriteOp[], results: UpsertResult[], outcome: WriteOutcome): Promise<void> {
  const now = rc.now();
  const t = rc.store.forTenant(rc.tenantId);
  const fresh: RecordLink[] = [];
  const changed: RecordLink[] = [];
  const events: DomainEvent[] = [];
  const landed: { op: WriteOp; id: string; created: boolean; modifiedAt?: number | undefined }[] = [];
  batch.forEach((op, i) => {
    const r = results[i];
    if (!r) return rc.progress.fail(side === 'target' ? 'source' : 'target', op.fromId, 'the connector returned no result for this record');
    if (!r.ok) {
      if (r.retryable && !rc.finalAttempt) return void outcome.retryableFailures++;
      return rc.progress.fail(side === 'target' ? 'source' : 'target', op.fromId, `writing to the ${side}: ${r.error}`);
    }
    landed.push({ op, id: r.id, created: r.created, modifiedAt: r.modifiedAt });
  });
  // A target (or source) record may be linked once per sync: a match that lands on a record
  // another source record already owns is a failure to report, not a link to overwrite.
  const ids = landed.filter((l) => !l.op.link || (side === 'target' ? l.op.link.targetId !== l.id : l.op.link.sourceId !== l.id)).map((l) => l.id);
  const owners = side === 'target' ? await t.recordLinks.byTargetIds(rc.def.id, ids) : await t.recordLinks.bySourceIds(rc.def.id, ids);
  const claimed = new Set<string>();
  for (const { op, id, created, modifiedAt } of landed) {
    const sourceId = side === 'target' ? op.fromId : id;
    const targetId = side === 'target' ? id : op.fromId;
    const owner = owners.get(id);
    const taken = owner && (side === 'target' ? owner.sourceId !== sourceId : owner.targetId !== targetId);
    if (taken || claimed.has(id)) {
      rc.progress.fail(side === 'target' ? 'source' : 'target', op.fromId, `the ${side} record ${id} is already linked to another record of this sync`);
      continue;
    }
    claimed.add(id);
    const link: RecordLink = {
      sourceId, targetId,
      sourceView: op.next.sourceView, targetView: op.next.targetView,
      sourceHash: hashView(op.next.sourceView), targetHash: hashView(op.next.targetView),
      sourceModifiedAt: side === 'source' ? (modifiedAt ?? op.next.sourceModifiedAt) : op.next.sourceModifiedAt,
      targetModifiedAt: side === 'target' ? (modifiedAt ?? op.next.targetModifiedAt) : op.next.targetModifiedAt,
      deletedSide: null, syncedAt: now,
    };
    (op.link || owner ? changed : fresh).push(link);
    rc.progress.add(created ? 'created' : 'updated');
    (side === 'target' ? outcome.writtenTargetIds : outcome.writtenSourceIds).push(id);
    if (rc.recordEvents) {
      events.push({
        tenantId: rc.tenantId, type: 'record.synced', partitionKey: `${rc.tenantId}:${rc.def.id}`, subject: rc.def.id,
        dedupKey: `record.synced:${rc.runId}:${side}:${id}:${link.targetHash.slice(0, 16)}`,
        data: { syncId: rc.def.id, runId: rc.runId, direction: side === 'target' ? 'forward' : 'reverse', sourceId, targetId, action: created ? 'created' : 'updated' },
      });
    }
  }
  await rc.store.transaction(async (tx) => {
    const tt = tx.forTenant(rc.tenantId);
    // A link keyed by source id may exist under an old id pair (a re-created target): update it in place.
    for (const l of changed) await tt.recordLinks.update(rc.def.id, l);
    if (fresh.length > 0) await tt.recordLinks.insertMany(rc.def.id, fresh);
    if (events.length > 0) await emit(tx, ...events);
  });
}
