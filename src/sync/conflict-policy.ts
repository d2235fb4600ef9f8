import type { ConflictPolicy, Side } from './definition.ts';
import { canonicalView, getLeaf, leafPaths, sameValue, setLeaf, type View } from './views.ts';

/**
 * What to do with a record changed on both sides since the last sync. Pure:
 * the engine hands in both current views, the views agreed at the last sync
 * and the providers' times; it gets back the winner or a merged view.
 */
export interface ConflictInput {
  policy: ConflictPolicy;
  fallback: Side;
  /** Current views (canonical, target-shaped). */
  source: View;
  target: View;
  /** The views at the last sync. */
  lastSource: View;
  lastTarget: View;
  sourceModifiedAt: number;
  targetModifiedAt: number;
  sourceFieldTimes?: Record<string, number> | undefined;
  targetFieldTimes?: Record<string, number> | undefined;
  /** The source path behind a target path, to find a source field's time. */
  sourcePathOf: (targetPath: string) => string | undefined;
}

export type ConflictDecision =
  | { kind: 'source' | 'target'; fields: string[] }
  | { kind: 'merge'; merged: View; fields: string[]; fieldWinners: Record<string, Side> }
  | { kind: 'manual'; fields: string[] };

/** Paths whose value differs between the two sides and changed on both since the last sync. */
export function clashingFields(i: Pick<ConflictInput, 'source' | 'target' | 'lastSource' | 'lastTarget'>): string[] {
  const paths = new Set([...leafPaths(i.source), ...leafPaths(i.target), ...leafPaths(i.lastSource), ...leafPaths(i.lastTarget)]);
  return [...paths].filter((p) => {
    const s = getLeaf(i.source, p);
    const t = getLeaf(i.target, p);
    return !sameValue(s, t) && !sameValue(s, getLeaf(i.lastSource, p)) && !sameValue(t, getLeaf(i.lastTarget, p));
  }).sort();
}

/** A field time by the full path, then its last segment, then its first (connectors key times by field name). */
function timeOf(times: Record<string, number> | undefined, path: string | undefined): number | undefined {
  if (!times || !path) return undefined;
  const plain = path.replace(/\[[^\]]*\]/g, '');
  const parts = plain.split('.');
  for (const key of [path, plain, parts.at(-1)!, parts[0]!]) if (typeof times[key] === 'number') return times[key];
  return undefined;
}

export function decideConflict(i: ConflictInput): ConflictDecision {
  const fields = clashingFields(i);
  switch (i.policy) {
    case 'source_wins':
      return { kind: 'source', fields };
    case 'target_wins':
      return { kind: 'target', fields };
    case 'manual':
      return { kind: 'manual', fields };
    case 'last_writer_wins': {
      const kind: Side = i.sourceModifiedAt === i.targetModifiedAt ? i.fallback : i.sourceModifiedAt > i.targetModifiedAt ? 'source' : 'target';
      return { kind, fields };
    }
    case 'field_merge':
      return fieldMerge(i, fields);
  }
}

/**
 * Per field: the side that changed it wins; a field changed on both sides
 * goes to the later field-level time when both providers report one, else
 * to the declared fallback side.
 */
function fieldMerge(i: ConflictInput, clashing: string[]): ConflictDecision {
  const merged: Record<string, unknown> = {};
  const fieldWinners: Record<string, Side> = {};
  const paths = new Set([...leafPaths(i.source), ...leafPaths(i.target), ...leafPaths(i.lastSource), ...leafPaths(i.lastTarget)]);
  for (const p of paths) {
    const s = getLeaf(i.source, p);
    const t = getLeaf(i.target, p);
    let side: Side;
    if (sameValue(s, t)) side = 'source';
    else if (!sameValue(t, getLeaf(i.lastTarget, p)) && sameValue(s, getLeaf(i.lastSource, p))) side = 'target';
    else if (!sameValue(s, getLeaf(i.lastSource, p)) && sameValue(t, getLeaf(i.lastTarget, p))) side = 'source';
    else {
      const st = timeOf(i.sourceFieldTimes, i.sourcePathOf(p));
      const tt = timeOf(i.targetFieldTimes, p);
      side = st !== undefined && tt !== undefined && st !== tt ? (st > tt ? 'source' : 'target') : i.fallback;
      fieldWinners[p] = side;
    }
    const v = side === 'source' ? s : t;
    if (v !== undefined) setLeaf(merged, p, v);
  }
  return { kind: 'merge', merged: canonicalView(merged), fields: clashing, fieldWinners };
}
