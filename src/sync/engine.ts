import type { ChangePage, RecordChange } from '../connectors/types.ts';
import { RetryLater } from '../queue/types.ts';
import type { Side } from './definition.ts';
import { applyDeletes } from './deletes.ts';
import { planSourcePage, planTargetChanges } from './plan.ts';
import { bidirectional, type RunContext } from './run-context.ts';
import { applyOps, type WriteOutcome } from './writes.ts';

/**
 * One attempt of a run. Bidirectional runs first read the target's changes
 * (so a pair changed on both sides is seen as one conflict), then page
 * through the source's changes, checkpointing after each page, then handle
 * the target changes left over. Watermarks are returned, not saved: the
 * caller commits them with the run's completion.
 */
export type RunMode = 'full' | 'incremental' | 'records';

export interface RecordChangeRef {
  side: Side;
  id: string;
  deleted?: boolean;
}

export interface RunRequest {
  mode: RunMode;
  /** `records` mode: just these records (from a webhook). */
  changes?: RecordChangeRef[];
}

export interface RunResult {
  watermarks: Partial<Record<Side, string | null>>;
}

const TARGET_CHUNK = 500;
const GET_CONCURRENCY = 4;

/** The checkpoint's page position, stored as JSON in the cursor row. */
interface PagePosition {
  next: string | null;
  /** Set once the last page is done: the watermark it gave. */
  done?: { watermark: string | null };
}

export async function executeRun(rc: RunContext, req: RunRequest): Promise<RunResult> {
  if (req.mode === 'records') {
    await runRecords(rc, req.changes ?? []);
    return { watermarks: {} };
  }
  const t = rc.store.forTenant(rc.tenantId);
  const watermarks: RunResult['watermarks'] = {};
  let targetChanges: Map<string, RecordChange> | undefined;
  let targetDeleted: string[] = [];
  if (bidirectional(rc)) {
    await phase(rc, 'scan_target');
    const cursor = await t.syncCursors.get(rc.def.id, 'target');
    const scan = await readAll(rc, req.mode === 'full' ? null : cursor.watermark);
    targetChanges = new Map(scan.records.map((r) => [r.id, r]));
    targetDeleted = scan.deletedIds;
    watermarks.target = scan.watermark ?? cursor.watermark;
  }

  await phase(rc, 'source');
  watermarks.source = await sourcePass(rc, req.mode, targetChanges);

  if (targetChanges) {
    await phase(rc, 'target');
    const rest = [...targetChanges.values()];
    let retryable = 0;
    for (let i = 0; i < rest.length; i += TARGET_CHUNK) {
      retryable += (await applyOps(rc, await planTargetChanges(rc, rest.slice(i, i + TARGET_CHUNK)))).retryableFailures;
      await rc.progress.save(t, rc.runId, rc.now());
    }
    retryable += (await applyDeletes(rc, 'target', targetDeleted)).retryableFailures;
    if (retryable > 0) await retryLater(rc, retryable);
  }
  return { watermarks };
}

async function phase(rc: RunContext, name: RunContext['progress']['phase']): Promise<void> {
  rc.progress.phase = name;
  await rc.progress.save(rc.store.forTenant(rc.tenantId), rc.runId, rc.now());
}

async function retryLater(rc: RunContext, n: number): Promise<never> {
  await rc.progress.save(rc.store.forTenant(rc.tenantId), rc.runId, rc.now());
  throw new RetryLater(`${n} record write(s) failed with a retryable error; the page is retried from the checkpoint`, 1_000);
}

/** Pages the source from the checkpoint (or the watermark); returns the watermark of the last page. */
async function sourcePass(rc: RunContext, mode: RunMode, targetChanges: Map<string, RecordChange> | undefined): Promise<string | null> {
  const t = rc.store.forTenant(rc.tenantId);
  const saved = await t.syncCursors.get(rc.def.id, 'source');
  const resumed = saved.runId === rc.runId ? (JSON.parse(saved.pageCursor ?? '{"next":null}') as PagePosition) : undefined;
  if (resumed?.done) return resumed.done.watermark ?? saved.watermark;
  const since = resumed ? saved.runSince : mode === 'full' ? null : saved.watermark;
  let pagesDone = resumed ? saved.pagesDone : 0;
  const { model, ctx } = rc.source;
  const pageSize = rc.def.options.pageSize;
  const list = (cursor: string | null): Promise<ChangePage> => {
    const p = model.list(ctx, { since, cursor, ...(pageSize ? { pageSize } : {}) });
    p.catch(() => undefined);
    return p;
  };
  let pending: Promise<ChangePage> | undefined = list(resumed?.next ?? null);
  let watermark = saved.watermark;
  while (pending) {
    const page: ChangePage = await pending;
    // Read the next page while this one is written: reads and writes go to different providers.
    pending = page.nextCursor ? list(page.nextCursor) : undefined;
    const out = await applyOps(rc, await planSourcePage(rc, page.records, targetChanges));
    forgetWritten(targetChanges, out);
    const deletes = await applyDeletes(rc, 'source', page.deletedIds);
    const retryable = out.retryableFailures + deletes.retryableFailures;
    if (retryable > 0) {
      pending?.catch(() => undefined);
      await retryLater(rc, retryable);
    }
    rc.progress.add('pages');
    pagesDone++;
    if (!page.nextCursor) watermark = page.watermark ?? watermark;
    const position: PagePosition = page.nextCursor ? { next: page.nextCursor } : { next: null, done: { watermark } };
    await rc.store.transaction(async (tx) => {
      const tt = tx.forTenant(rc.tenantId);
      await tt.syncCursors.checkpoint(rc.def.id, 'source', { runId: rc.runId, runSince: since, pageCursor: JSON.stringify(position), pagesDone }, rc.now());
      await rc.progress.save(tt, rc.runId, rc.now());
    });
  }
  return watermark;
}

/** What we just wrote to the target replaces any snapshot of it read earlier in this run. */
function forgetWritten(targetChanges: Map<string, RecordChange> | undefined, out: WriteOutcome): void {
  if (!targetChanges) return;
  for (const id of out.writtenTargetIds) targetChanges.delete(id);
}

async function readAll(rc: RunContext, since: string | null): Promise<{ records: RecordChange[]; deletedIds: string[]; watermark: string | null }> {
  const { model, ctx } = rc.target;
  const records: RecordChange[] = [];
  const deletedIds: string[] = [];
  let cursor: string | null = null;
  let watermark: string | null = null;
  do {
    const page: ChangePage = await model.list(ctx, { since, cursor });
    records.push(...page.records);
    deletedIds.push(...page.deletedIds);
    cursor = page.nextCursor;
    if (!cursor) watermark = page.watermark ?? null;
  } while (cursor);
  return { records, deletedIds, watermark };
}

async function getAll(rc: RunContext, side: Side, ids: readonly string[]): Promise<RecordChange[]> {
  const { model, ctx } = side === 'source' ? rc.source : rc.target;
  const out: RecordChange[] = [];
  const queue = [...new Set(ids)];
  await Promise.all(Array.from({ length: Math.min(GET_CONCURRENCY, queue.length) }, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const r = await model.get(ctx, id);
      if (r) out.push(r);
    }
  }));
  return out;
}

/**
 * A run over named records (a webhook's changes). In bidirectional mode the
 * other half of each linked pair is read too, so a clash is still a conflict.
 */
async function runRecords(rc: RunContext, changes: RecordChangeRef[]): Promise<void> {
  const t = rc.store.forTenant(rc.tenantId);
  const pick = (side: Side, deleted: boolean) => changes.filter((c) => c.side === side && (c.deleted === true) === deleted).map((c) => c.id);
  const sourceIds = new Set(pick('source', false));
  const targetIds = new Set(bidirectional(rc) ? pick('target', false) : []);
  if (bidirectional(rc)) {
    for (const l of (await t.recordLinks.bySourceIds(rc.def.id, [...sourceIds])).values()) targetIds.add(l.targetId);
    for (const l of (await t.recordLinks.byTargetIds(rc.def.id, [...targetIds])).values()) sourceIds.add(l.sourceId);
  }
  await phase(rc, 'source');
  const sources = await getAll(rc, 'source', [...sourceIds]);
  const targets = bidirectional(rc) ? new Map((await getAll(rc, 'target', [...targetIds])).map((r) => [r.id, r])) : undefined;
  const out = await applyOps(rc, await planSourcePage(rc, sources, targets));
  forgetWritten(targets, out);
  let retryable = out.retryableFailures + (await applyDeletes(rc, 'source', pick('source', true))).retryableFailures;
  if (targets) {
    await phase(rc, 'target');
    retryable += (await applyOps(rc, await planTargetChanges(rc, [...targets.values()]))).retryableFailures;
    retryable += (await applyDeletes(rc, 'target', pick('target', true))).retryableFailures;
  }
  rc.progress.add('pages');
  if (retryable > 0) await retryLater(rc, retryable);
}
