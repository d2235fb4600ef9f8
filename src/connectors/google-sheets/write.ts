import { ProviderError } from '../../http-client/index.ts';
import type { ConnectorContext, DeleteResult, UpsertInput, UpsertResult } from '../types.ts';
import { firstRowOf, rowCells, rowsRange, spreadsheetPath, tableColumns, valuesPath } from './a1.ts';
import { readKeyIndex, sheetParams, type Cell, type KeyIndex, type SheetParams } from './table.ts';

/**
 * Writes: existing rows are updated in place by one `values:batchUpdate` per
 * batch (one A1 range per row; a field the input leaves out is sent as
 * `null`, which Sheets reads as "leave this cell alone"), new rows go in one
 * `values:append` per batch. Values are sent RAW so text that looks like a
 * formula stays text: records often come from other systems' events.
 */

export const BATCH_ROWS = 500;

type Out = Cell | null;

function cellOf(value: unknown): Out {
  if (value === undefined) return null;
  // An explicit null clears the cell; absence (undefined) leaves it alone.
  if (value === null) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export function failure(err: unknown): { ok: false; error: string; retryable: boolean } {
  if (err instanceof ProviderError) return { ok: false, error: err.message, retryable: err.status === 0 || err.status === 429 || err.status >= 500 };
  return { ok: false, error: err instanceof Error ? err.message : String(err), retryable: false };
}

/** Field names written by this call: the header plus any new names (added as header cells). */
function widenHeader(params: SheetParams, index: KeyIndex, inputs: UpsertInput[]): string[] {
  const added: string[] = [];
  const known = new Set(index.fields.filter((f): f is string => f !== undefined));
  for (const input of inputs) {
    for (const name of Object.keys(input.record)) {
      if (name === '_row' || known.has(name)) continue;
      if (name === 'id' && params.keyColumn !== 'id') continue;
      known.add(name);
      added.push(name);
    }
  }
  return added;
}

interface Plan { updates: Array<{ at: number; row: number; values: Out[] }>; appends: Array<{ at: number[]; key: string | undefined; record: Record<string, unknown> }> }

export async function upsertRows(ctx: ConnectorContext, inputs: UpsertInput[]): Promise<UpsertResult[]> {
  const params = sheetParams(ctx);
  const index = await readKeyIndex(ctx, params);
  const added = widenHeader(params, index, inputs);
  const fields = [...index.fields, ...added];
  const results: UpsertResult[] = new Array(inputs.length);
  const rowOf = (record: Record<string, unknown>): Out[] => fields.map((f) => (f === undefined ? null : cellOf(record[f])));
  let headerPending = added.length > 0;

  for (let start = 0; start < inputs.length; start += BATCH_ROWS) {
    const plan: Plan = { updates: [], appends: [] };
    const pending = new Map<string, Plan['appends'][number]>();
    inputs.slice(start, start + BATCH_ROWS).forEach((input, offset) => {
      const at = start + offset;
      if (input.matchField !== undefined && input.matchField !== params.keyColumn) {
        results[at] = { ok: false, error: `google rows: matchField must be the key column (${params.keyColumn ?? 'none set'})`, retryable: false };
        return;
      }
      if (!params.keyColumn) {
        if (input.id === undefined) plan.appends.push({ at: [at], key: undefined, record: input.record });
        else if (/^\d+$/.test(input.id) && Number(input.id) >= 2) plan.updates.push({ at, row: Number(input.id), values: rowOf(input.record) });
        else results[at] = { ok: false, error: `google rows: id ${input.id} is not a data row number`, retryable: false };
        return;
      }
      const raw = input.id ?? input.record[params.keyColumn];
      if (raw === undefined || raw === null || raw === '') {
        results[at] = { ok: false, error: `google rows: the record has no ${params.keyColumn} (the key column)`, retryable: false };
        return;
      }
      const key = String(raw);
      const record = { ...input.record, [params.keyColumn]: input.record[params.keyColumn] ?? key };
      const existing = index.rows.get(key);
      const queued = pending.get(key);
      if (existing !== undefined) plan.updates.push({ at, row: existing, values: rowOf(record) });
      else if (queued) {
        // The same new key twice in one batch becomes one row, later fields winning.
        queued.at.push(at);
        Object.assign(queued.record, record);
      } else {
        const append = { at: [at], key, record };
        pending.set(key, append);
        plan.appends.push(append);
      }
    });

    const data = plan.updates.map((u) => ({ range: rowCells(params.sheet, u.row, fields.length), values: [u.values] }));
    if (headerPending) data.unshift({ range: rowCells(params.sheet, 1, fields.length), values: [fields.map((f, i) => (i < index.fields.length ? null : f ?? null))] });
    if (data.length > 0) {
      try {
        await ctx.client.json({
          method: 'POST', path: spreadsheetPath(params.spreadsheetId, '/values:batchUpdate'), idempotent: true, signal: ctx.signal,
          body: { valueInputOption: 'RAW', data },
        });
        headerPending = false;
        for (const u of plan.updates) results[u.at] = { ok: true, id: params.keyColumn ? String(inputs[u.at]!.id ?? inputs[u.at]!.record[params.keyColumn]) : String(u.row), created: false };
      } catch (err) {
        for (const u of plan.updates) results[u.at] = failure(err);
        if (headerPending) {
          // Without the header cells the new columns would be nameless: fail the appends too.
          for (const a of plan.appends) for (const at of a.at) results[at] = failure(err);
          continue;
        }
      }
    }
    if (plan.appends.length === 0) continue;
    try {
      const res = await ctx.client.json<{ updates?: { updatedRange?: string } }>({
        method: 'POST', path: valuesPath(params.spreadsheetId, tableColumns(params.sheet, fields.length), ':append'), signal: ctx.signal,
        query: { valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' },
        body: { majorDimension: 'ROWS', values: plan.appends.map((a) => rowOf(a.record)) },
      });
      const first = firstRowOf(res.updates?.updatedRange ?? '');
      if (first === undefined) throw new Error('google rows: append answered without an updatedRange');
      plan.appends.forEach((a, i) => {
        const row = first + i;
        const id = a.key ?? String(row);
        if (a.key !== undefined) index.rows.set(a.key, row);
        a.at.forEach((at, n) => {
          results[at] = { ok: true, id, created: n === 0 };
        });
      });
    } catch (err) {
      for (const a of plan.appends) for (const at of a.at) results[at] = failure(err);
    }
  }
  return results;
}

export async function deleteRows(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]> {
  const params = sheetParams(ctx);
  const index = params.keyColumn ? await readKeyIndex(ctx, params) : undefined;
  const results: DeleteResult[] = [];
  for (let start = 0; start < ids.length; start += BATCH_ROWS) {
    const chunk = ids.slice(start, start + BATCH_ROWS);
    const targets: Array<{ id: string; row: number | undefined }> = chunk.map((id) => ({
      id, row: index ? index.rows.get(id) : /^\d+$/.test(id) && Number(id) >= 2 ? Number(id) : undefined,
    }));
    const ranges = targets.filter((t) => t.row !== undefined).map((t) => rowsRange(params.sheet, t.row!, t.row!));
    let error: ReturnType<typeof failure> | undefined;
    if (ranges.length > 0) {
      try {
        await ctx.client.json({ method: 'POST', path: spreadsheetPath(params.spreadsheetId, '/values:batchClear'), idempotent: true, signal: ctx.signal, body: { ranges } });
      } catch (err) {
        error = failure(err);
      }
    }
    for (const t of targets) {
      // A key that is not in the sheet is already gone: deleting is idempotent.
      if (t.row === undefined || !error) results.push({ id: t.id, ok: true });
      else results.push({ id: t.id, ...error });
    }
  }
  return results;
}
