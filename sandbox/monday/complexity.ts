import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { Budget, MondayState } from './store.ts';

/**
 * Query cost and the per-token budget. Monday does not publish its formula;
 * like theirs, cost grows with nesting times page sizes: a field costs 1 plus
 * its children times how many objects it returns (its `limit`, its `ids`
 * count, or a typical size for unbounded lists). Mutations carry a fixed
 * base cost (create_item ≈ 10,000 per Monday's best-practice notes).
 */
const listSizes: Record<string, number> = {
  boards: 25, items: 25, items_page: 25, next_items_page: 25, items_page_by_column_values: 25,
  column_values: 10, columns: 10, groups: 10, users: 10, webhooks: 10, persons_and_teams: 5,
};

export const mutationBaseCost: Record<string, number> = {
  create_item: 10_000, change_column_value: 10_000, change_simple_column_value: 10_000, change_multiple_column_values: 10_000,
  archive_item: 10_000, delete_item: 10_000, create_webhook: 1_000, delete_webhook: 1_000,
};

function argValue(node: ValueNode, vars: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE: return vars[node.name.value];
    case Kind.INT: return Number(node.value);
    case Kind.LIST: return node.values.map((v) => argValue(v, vars));
    default: return undefined;
  }
}

function multiplier(name: string, args: Map<string, unknown>): number {
  const base = listSizes[name];
  if (base === undefined) return 1;
  const ids = args.get('ids');
  if (Array.isArray(ids)) return Math.max(ids.length, 1);
  const ids2 = typeof ids === 'string' || typeof ids === 'number' ? 1 : undefined;
  if (ids2) return ids2;
  const limit = args.get('limit');
  return typeof limit === 'number' && limit > 0 ? limit : base;
}

function selectionCost(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, vars: Record<string, unknown>, root: boolean): number {
  if (!set) return 0;
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      total += selectionCost(fragments.get(sel.name.value)?.selectionSet, fragments, vars, root);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      total += selectionCost(sel.selectionSet, fragments, vars, root);
    } else if (sel.name.value === 'complexity' || sel.name.value === '__typename') {
      continue;
    } else {
      const args = new Map((sel.arguments ?? []).map((a) => [a.name.value, argValue(a.value, vars)] as const));
      const children = selectionCost(sel.selectionSet, fragments, vars, false);
      const base = root ? (mutationBaseCost[sel.name.value] ?? 1) : 1;
      total += base + multiplier(sel.name.value, args) * children;
    }
  }
  return total;
}

export function queryCost(op: OperationDefinitionNode, fragments: FragmentDefinitionNode[], vars: Record<string, unknown>): number {
  return selectionCost(op.selectionSet, new Map(fragments.map((f) => [f.name.value, f])), vars, true);
}

/** The budget a token has in its current fixed window (windows start at first use). */
export function budgetOf(state: MondayState, token: string, windowMs: number, now = Date.now()): Budget {
  let b = state.budgets.get(token);
  if (!b || now - b.windowStart >= windowMs) {
    b = { windowStart: now, used: 0 };
    state.budgets.set(token, b);
  }
  return b;
}

export const resetInSeconds = (b: Budget, windowMs: number, now = Date.now()): number =>
  Math.max(1, Math.ceil((b.windowStart + windowMs - now) / 1000));
