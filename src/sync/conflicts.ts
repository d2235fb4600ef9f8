import { HubError, invalid, notFound } from '../domain/errors.ts';
import type { ConnectorRuntime } from '../connectors/runtime.ts';
import type { RecordChange } from '../connectors/types.ts';
import type { Logger } from 'pino';
import type { Conflict } from '../store/repos/conflicts.ts';
import type { Store } from '../store/store.ts';
import type { CompileOptions } from '../transform/index.ts';
import { definitionOf } from './definition.ts';
import { forwardOp, mergeOps, reverseOp } from './plan.ts';
import { Progress } from './progress.ts';
import type { RunContext } from './run-context.ts';
import { compileSyncMapping } from './sync-mapping.ts';
import { canonicalView, type View } from './views.ts';
import { applyOps } from './writes.ts';

/**
 * Resolving a stored (`manual`) conflict: `side` writes that side's version
 * over the other; `record` writes a merged record (in the target's shape,
 * like the views shown in the conflict) to both. The versions written are
 * the ones the conflict shows, so what a person approved is what lands.
 * The conflict closes only when every write succeeded.
 */
export type Resolution = { side: 'source' | 'target' } | { record: Record<string, unknown> };

interface Details {
  sourceView: View;
  targetView: View;
  source: { record: Record<string, unknown>; modifiedAt: number };
  target: { record: Record<string, unknown>; modifiedAt: number };
}

export class ConflictService {
  private readonly o: { store: Store; runtime: ConnectorRuntime; log: Logger; compile?: CompileOptions; now?: () => number };

  constructor(options: { store: Store; runtime: ConnectorRuntime; log: Logger; compile?: CompileOptions; now?: () => number }) {
    this.o = options;
  }

  async resolve(tenantId: string, id: string, resolution: Resolution, actor: string): Promise<Conflict> {
    const now = this.o.now ?? Date.now;
    const t = this.o.store.forTenant(tenantId);
    const conflict = await t.conflicts.get(id);
    if (!conflict) throw notFound('conflict', id);
    if (conflict.status !== 'open') throw new HubError('conflict', `conflict ${id} is already resolved`);
    const row = await t.syncs.get(conflict.syncId);
    if (!row) throw notFound('sync', conflict.syncId);
    const def = definitionOf(row);
    const mapping = await t.mappings.get(def.mappingId, def.mappingVersion);
    if (!mapping) throw notFound('mapping', def.mappingId);
    const compiled = compileSyncMapping(mapping.spec, def.options.filter, this.o.compile);
    if (!compiled.ok) throw new HubError('conflict', `mapping ${def.mappingId} no longer compiles`);
    const link = (await t.recordLinks.bySourceIds(def.id, [conflict.sourceId])).get(conflict.sourceId);
    if (!link) throw new HubError('conflict', `the records of conflict ${id} are no longer linked`);

    const d = conflict.details as unknown as Details;
    const s: RecordChange = { id: conflict.sourceId, record: d.source.record, modifiedAt: d.source.modifiedAt };
    const tc: RecordChange = { id: conflict.targetId, record: d.target.record, modifiedAt: d.target.modifiedAt };
    const progress = new Progress();
    const rc: RunContext = {
      store: this.o.store, tenantId, def, runId: conflict.runId ?? `resolve:${id}`, mapping: compiled.mapping, progress, recordEvents: true, finalAttempt: true, now,
      source: await this.o.runtime.open(tenantId, def.source.connectionId, def.source.model, def.source.params),
      target: await this.o.runtime.open(tenantId, def.target.connectionId, def.target.model, def.target.params),
      log: this.o.log.child({ syncId: def.id, conflictId: id }),
    };
    let ops;
    if ('side' in resolution) {
      if (resolution.side === 'source') {
        const fw = compiled.mapping.forward(s.record);
        if (!fw.ok) throw new HubError('validation_failed', 'the source record no longer maps', { errors: fw.errors });
        ops = [forwardOp(rc, s, fw.record, d.sourceView, link)];
      } else {
        const op = reverseOp(rc, tc, d.targetView, link);
        if (!op) throw new HubError('validation_failed', 'the target record does not map back', { errors: progress.failures.map((f) => ({ field: 'target', message: f.reason })) });
        ops = [op];
      }
    } else {
      if (typeof resolution.record !== 'object' || resolution.record === null) throw invalid('record', 'a merged record is an object in the target\'s shape');
      ops = mergeOps(rc, s, d.sourceView, tc, d.targetView, link, canonicalView(resolution.record));
    }
    await applyOps(rc, ops);
    if (progress.failures.length > 0) {
      throw new HubError('unavailable', 'the resolution could not be written; the conflict stays open', { errors: progress.failures.map((f) => ({ field: f.side, message: f.reason })) });
    }
    const done = await t.conflicts.resolve(id, { ...resolution, by: actor, writes: ops.length }, now());
    if (!done) throw new HubError('conflict', `conflict ${id} was resolved by someone else meanwhile`);
    return (await t.conflicts.get(id))!;
  }
}
