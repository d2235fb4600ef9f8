import type { ConnectorContext, DeleteResult, UpsertInput, UpsertResult } from '../types.ts';
import { boardColumns, type BoardColumn } from './board-columns.ts';
import { READ_ONLY_TYPES, writeValue, type TypedColumn } from './columns.ts';
import { describeErrors, gqlPartial, isRetryable, MondayError, MUTATION_COST, type GraphQlError } from './graphql.ts';
import { findItems, matchColumn, matchValueOf } from './match.ts';
import type { MondayItem } from './normalise.ts';
import { boardIdOf } from './params.ts';

/**
 * Item writes. Monday has no batch mutation, but one GraphQL request may
 * carry several aliased mutations (`m0: create_item … m1:
 * change_multiple_column_values …`); each alias succeeds or fails on its
 * own, which gives per-input results. 25 per request keeps one request near
 * 250,000 complexity points, far under the 5M per-query ceiling.
 */
export const ITEMS_BATCH_LIMIT = 25;

type Op =
  | { kind: 'create'; index: number; name: string; groupId?: string; values: Record<string, unknown> }
  | { kind: 'update'; index: number; itemId: string; values: Record<string, unknown> };

/**
 * Accepts the normalised item (`columns` typed, as listed) and/or
 * `column_values` in Monday's write form; `column_values` wins per column.
 */
function columnValuesOf(record: Partial<MondayItem> & { column_values?: Record<string, unknown> }, columns: BoardColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, cell] of Object.entries(record.columns ?? {})) {
    const type = (cell as { type?: string } | null)?.type ?? columns.find((c) => c.id === id)?.type;
    if (type && READ_ONLY_TYPES.has(type)) continue;
    out[id] = cell && typeof cell === 'object' && type ? writeValue({ ...(cell as object), type } as TypedColumn) : cell;
  }
  return { ...out, ...(record.column_values ?? {}) };
}

const fail = (error: string, retryable: boolean): UpsertResult => ({ ok: false, error, retryable });

export async function upsertItems(ctx: ConnectorContext, inputs: UpsertInput<MondayItem>[]): Promise<UpsertResult[]> {
  const boardId = boardIdOf(ctx);
  const columns = await boardColumns(ctx, boardId);
  const results: UpsertResult[] = new Array(inputs.length);
  const matches = await resolveMatches(ctx, boardId, columns, inputs, results);
  const ops: Op[] = [];
  inputs.forEach((input, index) => {
    if (results[index]) return;
    const record = (input.record ?? {}) as MondayItem & { column_values?: Record<string, unknown> };
    const values = columnValuesOf(record, columns);
    const itemId = input.id ?? matches.get(index);
    if (itemId) return ops.push({ kind: 'update', index, itemId: String(itemId), values: record.name ? { ...values, name: record.name } : values });
    if (!record.name) return (results[index] = fail('monday items: a new item needs a name', false));
    const groupId = record.group?.id ?? (record as { group_id?: string }).group_id;
    return ops.push({ kind: 'create', index, name: record.name, ...(groupId ? { groupId } : {}), values });
  });
  for (let i = 0; i < ops.length; i += ITEMS_BATCH_LIMIT) {
    for (const [index, result] of await sendOps(ctx, boardId, ops.slice(i, i + ITEMS_BATCH_LIMIT))) results[index] = result;
  }
  return results;
}

/** Input index → existing item id, for inputs with a `matchField` whose value is on the board. */
async function resolveMatches(ctx: ConnectorContext, boardId: string, columns: BoardColumn[], inputs: UpsertInput<MondayItem>[], results: UpsertResult[]): Promise<Map<number, string>> {
  const wanted = new Map<string, { column: BoardColumn; byIndex: Map<number, string> }>();
  inputs.forEach((input, index) => {
    if (input.id || !input.matchField) return;
    const column = matchColumn(columns, input.matchField);
    if (typeof column === 'string') return (results[index] = fail(column, false));
    const value = matchValueOf((input.record ?? {}) as unknown as Record<string, unknown>, column);
    if (!value) return (results[index] = fail(`monday items: matchField ${input.matchField} has no value`, false));
    const slot = wanted.get(column.id) ?? { column, byIndex: new Map<number, string>() };
    slot.byIndex.set(index, value);
    wanted.set(column.id, slot);
  });
  const out = new Map<number, string>();
  for (const { column, byIndex } of wanted.values()) {
    const found = await findItems(ctx, boardId, column, [...byIndex.values()]);
    for (const [index, value] of byIndex) {
      const id = found.get(value.toLowerCase());
      if (id) out.set(index, id);
    }
  }
  return out;
}

function mutationOf(ops: Op[]): { query: string; variables: Record<string, unknown> } {
  const decls = ['$board: ID!'];
  const fields: string[] = [];
  const variables: Record<string, unknown> = {};
  ops.forEach((op, n) => {
    variables[`v${n}`] = JSON.stringify(op.values);
    if (op.kind === 'create') {
      decls.push(`$n${n}: String!`, `$g${n}: String`, `$v${n}: JSON`);
      variables[`n${n}`] = op.name;
      variables[`g${n}`] = op.groupId ?? null;
      fields.push(`m${n}: create_item(board_id: $board, item_name: $n${n}, group_id: $g${n}, column_values: $v${n}) { id updated_at }`);
    } else {
      decls.push(`$i${n}: ID`, `$v${n}: JSON!`);
      variables[`i${n}`] = op.itemId;
      fields.push(`m${n}: change_multiple_column_values(board_id: $board, item_id: $i${n}, column_values: $v${n}) { id updated_at }`);
    }
  });
  return { query: `mutation (${decls.join(', ')}) { ${fields.join(' ')} }`, variables };
}

async function sendOps(ctx: ConnectorContext, boardId: string, ops: Op[]): Promise<[number, UpsertResult][]> {
  const { query, variables } = mutationOf(ops);
  variables.board = boardId;
  let answer: { data: Record<string, { id: string; updated_at: string | null } | null> | null; errors: GraphQlError[] };
  try {
    // Setting values can be repeated; a create cannot, so only update-only batches are retried on 5xx.
    answer = await gqlPartial(ctx, query, variables, { idempotent: ops.every((o) => o.kind === 'update'), cost: ops.length * MUTATION_COST });
  } catch (err) {
    const retryable = err instanceof MondayError ? err.retryable : true;
    return ops.map((op) => [op.index, fail((err as Error).message, retryable)]);
  }
  const unplaced = answer.errors.filter((e) => typeof e.path?.[0] !== 'string');
  return ops.map((op, n): [number, UpsertResult] => {
    const got = answer.data?.[`m${n}`];
    if (got) {
      const modifiedAt = Date.parse(got.updated_at ?? '');
      return [op.index, { ok: true, id: String(got.id), created: op.kind === 'create', ...(Number.isFinite(modifiedAt) ? { modifiedAt } : {}) }];
    }
    const mine = answer.errors.filter((e) => e.path?.[0] === `m${n}`);
    const errors = mine.length > 0 ? mine : unplaced;
    return [op.index, fail(`monday ${op.kind === 'create' ? 'create_item' : `change_multiple_column_values ${op.itemId}`}: ${describeErrors(errors) || 'no result'}`, errors.length === 0 || errors.some(isRetryable))];
  });
}

/** Deleting an item that is already gone counts as done. */
const isGone = (e: GraphQlError) => e.extensions?.code === 'InvalidItemIdException' || e.extensions?.code === 'ResourceNotFoundException' || /not found/i.test(e.message);

export async function deleteItems(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]> {
  const out: DeleteResult[] = [];
  for (let i = 0; i < ids.length; i += ITEMS_BATCH_LIMIT) {
    const chunk = ids.slice(i, i + ITEMS_BATCH_LIMIT);
    const query = `mutation (${chunk.map((_, n) => `$i${n}: ID`).join(', ')}) { ${chunk.map((_, n) => `d${n}: delete_item(item_id: $i${n}) { id }`).join(' ')} }`;
    const variables = Object.fromEntries(chunk.map((id, n) => [`i${n}`, id]));
    try {
      const answer = await gqlPartial<Record<string, { id: string } | null>>(ctx, query, variables, { idempotent: true, cost: chunk.length * MUTATION_COST });
      chunk.forEach((id, n) => {
        const errors = answer.errors.filter((e) => e.path?.[0] === `d${n}`);
        if (answer.data?.[`d${n}`] || (errors.length > 0 && errors.every(isGone))) out.push({ id, ok: true });
        else out.push({ id, ok: false, error: `monday delete_item ${id}: ${describeErrors(errors) || 'no result'}`, retryable: errors.length === 0 || errors.some(isRetryable) });
      });
    } catch (err) {
      const retryable = err instanceof MondayError ? err.retryable : true;
      out.push(...chunk.map((id) => ({ id, ok: false as const, error: (err as Error).message, retryable })));
    }
  }
  return out;
}
