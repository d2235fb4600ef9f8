import type { RecordChange } from '../connectors/types.ts';
import { emit } from '../events/outbox.ts';
import type { RecordLink } from '../store/repos/sync-links.ts';
import { decideConflict } from './conflict-policy.ts';
import { syncRowId } from './ids.ts';
import type { RunContext } from './run-context.ts';
import { canonicalView, hashView, overlay, type View } from './views.ts';
import type { WriteOp } from './writes.ts';

/**
 * Decides, per record, what a page of changes needs: nothing (the view hashes
 * as last synced: unchanged, or our own write coming back), a write to the
 * other side, or a conflict handled by the sync's policy. Only ops come out;
 * `applyOps` performs them.
 */
const errorsText = (errors: { field: string; message: string }[]): string => `mapping: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;

/** A target record projected onto the mapped fields, in canonical form; undefined when it cannot be. */
export function targetView(rc: RunContext, t: RecordChange): View | undefined {
  const p = rc.mapping.project(t.record);
  if (!p.ok) {
    rc.progress.fail('target', t.id, errorsText(p.errors));
    return undefined;
  }
  return canonicalView(p.record);
}

export function forwardOp(rc: RunContext, s: RecordChange, out: Record<string, unknown>, view: View, link: RecordLink | undefined): WriteOp {
  const usable = link && link.deletedSide !== 'target' ? link : undefined;
  return {
    side: 'target', fromId: s.id, record: out, link,
    ...(usable ? { id: usable.targetId } : rc.def.options.key.matchField ? { matchField: rc.def.options.key.matchField } : {}),
    next: { sourceView: view, targetView: canonicalView(overlay(usable?.targetView ?? {}, out)), sourceModifiedAt: s.modifiedAt, targetModifiedAt: usable?.targetModifiedAt ?? null },
  };
}

/**
 * A write of a target record back to the source. After it, the source is
 * expected to map forward to the same view (mappings round-trip on their
 * mapped fields), so that view becomes both sides' agreed state.
 */
export function reverseOp(rc: RunContext, t: RecordChange, view: View, link: RecordLink | undefined, record?: Record<string, unknown>): WriteOp | undefined {
  const reverse = rc.mapping.reverse;
  if (!reverse) return undefined;
  const r = reverse(record ?? t.record);
  if (!r.ok) {
    rc.progress.fail('target', t.id, errorsText(r.errors));
    return undefined;
  }
  const usable = link && link.deletedSide !== 'source' ? link : undefined;
  return {
    side: 'source', fromId: t.id, record: r.record, link,
    ...(usable ? { id: usable.sourceId } : rc.def.options.key.sourceMatchField ? { matchField: rc.def.options.key.sourceMatchField } : {}),
    next: { sourceView: view, targetView: view, sourceModifiedAt: usable?.sourceModifiedAt ?? null, targetModifiedAt: t.modifiedAt },
  };
}

/**
 * Plans a page of source changes. `targetChanges` holds the target's changes
 * read in this run (bidirectional); a pair found in both is decided here and
 * removed from it, so the target pass does not see it again.
 */
export async function planSourcePage(rc: RunContext, records: RecordChange[], targetChanges: Map<string, RecordChange> | undefined): Promise<WriteOp[]> {
  const t = rc.store.forTenant(rc.tenantId);
  const links = await t.recordLinks.bySourceIds(rc.def.id, records.map((r) => r.id));
  const ops: WriteOp[] = [];
  for (const s of records) {
    rc.progress.add('read');
    if (rc.mapping.filter && !rc.mapping.filter(s.record)) {
      rc.progress.add('skipped');
      continue;
    }
    const fw = rc.mapping.forward(s.record);
    if (!fw.ok) {
      rc.progress.fail('source', s.id, errorsText(fw.errors));
      continue;
    }
    const cs = canonicalView(fw.record);
    const link = links.get(s.id);
    if (!link || link.deletedSide === 'target') {
      ops.push(forwardOp(rc, s, fw.record, cs, link));
      continue;
    }
    const tc = targetChanges?.get(link.targetId);
    if (tc) targetChanges!.delete(link.targetId);
    const ct = tc ? targetView(rc, tc) : undefined;
    const sChanged = hashView(cs) !== link.sourceHash;
    const tChanged = ct !== undefined && hashView(ct) !== link.targetHash;
    if (!sChanged && !tChanged) {
      rc.progress.add('skipped');
    } else if (!tChanged) {
      ops.push(forwardOp(rc, s, fw.record, cs, link));
    } else if (!sChanged) {
      const op = reverseOp(rc, tc!, ct!, link);
      if (op) ops.push(op);
    } else {
      ops.push(...(await planConflict(rc, s, fw.record, cs, tc!, ct!, link)));
    }
  }
  return ops;
}

/** Plans the target changes left after the source pass (bidirectional). */
export async function planTargetChanges(rc: RunContext, records: RecordChange[]): Promise<WriteOp[]> {
  const t = rc.store.forTenant(rc.tenantId);
  const links = await t.recordLinks.byTargetIds(rc.def.id, records.map((r) => r.id));
  const ops: WriteOp[] = [];
  for (const tc of records) {
    rc.progress.add('read');
    const ct = targetView(rc, tc);
    if (!ct) continue;
    const link = links.get(tc.id);
    if (link ? hashView(ct) === link.targetHash || link.deletedSide === 'source' : !rc.def.options.reverseCreates) {
      rc.progress.add('skipped');
      continue;
    }
    const op = reverseOp(rc, tc, ct, link);
    if (op) ops.push(op);
  }
  return ops;
}

async function planConflict(rc: RunContext, s: RecordChange, out: Record<string, unknown>, cs: View, tc: RecordChange, ct: View, link: RecordLink): Promise<WriteOp[]> {
  const policy = rc.def.options.conflict;
  const d = decideConflict({
    policy: policy.policy, fallback: policy.fallback, source: cs, target: ct, lastSource: link.sourceView, lastTarget: link.targetView,
    sourceModifiedAt: s.modifiedAt, targetModifiedAt: tc.modifiedAt, sourceFieldTimes: s.fieldModifiedAt, targetFieldTimes: tc.fieldModifiedAt,
    sourcePathOf: (p) => rc.mapping.sourceOf.get(p),
  });
  rc.progress.add('conflicts');
  const now = rc.now();
  let conflictId: string | undefined;
  let ops: WriteOp[] = [];
  if (d.kind === 'manual') {
    conflictId = await storeConflict(rc, s, cs, tc, ct, link, d.fields, now);
  } else if (d.kind === 'source') {
    ops = [forwardOp(rc, s, out, cs, link)];
  } else if (d.kind === 'target') {
    const op = reverseOp(rc, tc, ct, link);
    ops = op ? [op] : [];
  } else if (d.kind === 'merge') {
    ops = mergeOps(rc, s, cs, tc, ct, link, d.merged);
  }
  await emit(rc.store, {
    tenantId: rc.tenantId, type: 'conflict.created', partitionKey: `${rc.tenantId}:${rc.def.id}`, subject: rc.def.id,
    dedupKey: `conflict:${rc.def.id}:${s.id}:${hashView(cs).slice(0, 16)}:${hashView(ct).slice(0, 16)}`,
    data: { ...(conflictId ? { conflictId } : {}), syncId: rc.def.id, runId: rc.runId, sourceId: s.id, targetId: tc.id, policy: policy.policy, resolution: d.kind === 'manual' ? 'stored' : d.kind, fields: d.fields },
  });
  return ops;
}

/** Writes the merged view to each side that does not already hold it. */
export function mergeOps(rc: RunContext, s: RecordChange, cs: View, tc: RecordChange, ct: View, link: RecordLink, merged: View): WriteOp[] {
  const ops: WriteOp[] = [];
  const next = { sourceView: merged, targetView: merged, sourceModifiedAt: s.modifiedAt, targetModifiedAt: tc.modifiedAt };
  if (hashView(merged) !== hashView(ct)) ops.push({ side: 'target', fromId: s.id, id: link.targetId, record: merged, link, next });
  if (hashView(merged) !== hashView(cs)) {
    const back = reverseOp(rc, tc, merged, link, overlay(tc.record, merged) as Record<string, unknown>);
    if (back) ops.push({ ...back, next });
  }
  return ops;
}

async function storeConflict(rc: RunContext, s: RecordChange, cs: View, tc: RecordChange, ct: View, link: RecordLink, fields: string[], now: number): Promise<string> {
  const t = rc.store.forTenant(rc.tenantId);
  const details = {
    fields, sourceView: cs, targetView: ct, lastSourceView: link.sourceView, lastTargetView: link.targetView,
    source: { record: s.record, modifiedAt: s.modifiedAt }, target: { record: tc.record, modifiedAt: tc.modifiedAt },
  };
  const open = await t.conflicts.openFor(rc.def.id, s.id);
  if (open) {
    await t.conflicts.refresh(open.id, details, rc.runId, now);
    return open.id;
  }
  const id = syncRowId('conflict', now);
  await t.conflicts.create({ id, syncId: rc.def.id, runId: rc.runId, sourceId: s.id, targetId: tc.id, details, now });
  return id;
}
