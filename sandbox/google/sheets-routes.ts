import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FakeContext } from '../core/server.ts';
import { notifyChange } from './drive-push.ts';
import { googleError } from './errors.ts';
import { callerOf, hasScope } from './gate.ts';
import type { GoogleKnobs } from './knobs.ts';
import { addSpreadsheet, type GoogleState, type Spreadsheet } from './store.ts';
import { boundsA1, clearValues, findTable, gridLimitMessage, insertRows, RangeError400, readValues, resolve, writeValues, type Major, type RenderOption } from './values.ts';
import { formatA1 } from './a1.ts';

/**
 * Sheets v4: spreadsheet metadata and spreadsheets.values (get, update,
 * append, clear, batchGet, batchUpdate). Method suffixes such as `:append`
 * share a path segment with the A1 range, so one wildcard route splits them.
 */
type Ctx = FakeContext<GoogleState, GoogleKnobs>;
type Query = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function valueRange(ctx: Ctx, ss: Spreadsheet, text: string, q: Query) {
  const b = resolve(ss, text);
  const major = (one(q.majorDimension) ?? 'ROWS') as Major;
  const render = (one(q.valueRenderOption) ?? 'FORMATTED_VALUE') as RenderOption;
  const values = readValues(b, major, render, ctx.knobs.trimTrailingEmpty);
  return { range: boundsA1(b), majorDimension: major, ...(values.length > 0 ? { values } : {}) };
}

function inputOption(v: unknown): 'RAW' | 'USER_ENTERED' {
  if (v === 'RAW' || v === 'USER_ENTERED') return v;
  throw new RangeError400(v === undefined ? "'valueInputOption' is required but not specified" : `Invalid valueInputOption: ${String(v)}`);
}

function update(ctx: Ctx, ss: Spreadsheet, text: string, body: { values?: unknown[][]; majorDimension?: Major }, input: 'RAW' | 'USER_ENTERED', q: Query) {
  const b = resolve(ss, text);
  const values = body.values ?? [];
  const major = body.majorDimension ?? 'ROWS';
  const height = major === 'ROWS' ? values.length : Math.max(0, ...values.map((r) => r.length));
  const width = major === 'ROWS' ? Math.max(0, ...values.map((r) => r.length)) : values.length;
  if (!b.anchor) {
    if (b.r0 + height - 1 > b.r1) throw new RangeError400(`Requested writing within range [${text}], but tried writing to row [${b.r0 + height}]`);
    if (b.c0 + width - 1 > b.c1) throw new RangeError400(`Requested writing within range [${text}], but tried writing to column [${formatA1('x', 0, b.c0 + width - 1, 0, b.c0 + width - 1).slice(2, -1)}]`);
  }
  if (b.r0 + height > b.sheet.rowCount || b.c0 + width > b.sheet.columnCount) throw new RangeError400(gridLimitMessage(text, b.sheet));
  const res = writeValues(b.sheet, b.r0, b.c0, values, major, input);
  const includeValues = one(q.includeValuesInResponse) === 'true' || (q as Record<string, unknown>).includeValuesInResponse === true;
  return {
    spreadsheetId: ss.id, ...res,
    ...(includeValues ? { updatedData: valueRange(ctx, ss, res.updatedRange, { valueRenderOption: one(q.responseValueRenderOption) }) } : {}),
  };
}

function append(ctx: Ctx, ss: Spreadsheet, text: string, body: { values?: unknown[][]; majorDimension?: Major }, input: 'RAW' | 'USER_ENTERED', q: Query) {
  const b = resolve(ss, text);
  const table = findTable({ ...b, r1: b.sheet.rowCount - 1 });
  const at = table ? table.last + 1 : b.r0;
  const major = body.majorDimension ?? 'ROWS';
  const values = body.values ?? [];
  const height = major === 'ROWS' ? values.length : Math.max(0, ...values.map((r) => r.length));
  if (one(q.insertDataOption) === 'INSERT_ROWS') insertRows(b.sheet, at, height);
  else if (at + height > b.sheet.rowCount) b.sheet.rowCount = at + height;
  const width = major === 'ROWS' ? Math.max(0, ...values.map((r) => r.length)) : values.length;
  if (b.c0 + width > b.sheet.columnCount) b.sheet.columnCount = b.c0 + width;
  const res = writeValues(b.sheet, at, b.c0, values, major, input);
  return {
    spreadsheetId: ss.id,
    ...(table ? { tableRange: formatA1(b.sheet.title, table.first, b.c0, table.last, table.lastCol) } : {}),
    updates: { spreadsheetId: ss.id, ...res },
  };
}

export function spreadsheetJson(ctx: Ctx, ss: Spreadsheet) {
  return {
    spreadsheetId: ss.id,
    properties: { title: ss.title, locale: 'en_US', autoRecalc: 'ON_CHANGE', timeZone: 'Etc/GMT', defaultFormat: {} },
    sheets: ss.sheets.map((sh, index) => ({ properties: { sheetId: sh.sheetId, title: sh.title, index, sheetType: 'GRID', gridProperties: { rowCount: sh.rowCount, columnCount: sh.columnCount } } })),
    spreadsheetUrl: `${ctx.baseUrl()}/spreadsheets/d/${ss.id}/edit`,
  };
}

async function dispatch(ctx: Ctx, req: FastifyRequest, reply: FastifyReply) {
  const raw = (req.url.split('?')[0] ?? '').slice('/v4/spreadsheets/'.length);
  const m = /^([^/:]+)(.*)$/.exec(raw);
  const ss = m ? ctx.state.spreadsheets.get(decodeURIComponent(m[1]!)) : undefined;
  if (!m || !ss) return googleError(reply, 404, 'Requested entity was not found.');
  const rest = m[2]!;
  const q = req.query as Query;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const write = req.method !== 'GET';
  if (!hasScope(callerOf(req).scope, write ? 'write' : 'read', 'sheets')) return googleError(reply, 403, 'Request had insufficient authentication scopes.');
  const touched = async <T>(out: T) => {
    ss.modifiedTime = new Date().toISOString();
    await notifyChange(ctx, ss.id);
    return out;
  };

  if (rest === '' && req.method === 'GET') return spreadsheetJson(ctx, ss);
  if (rest === '/values:batchGet' && req.method === 'GET') {
    return { spreadsheetId: ss.id, valueRanges: many(q.ranges).map((r) => valueRange(ctx, ss, r, q)) };
  }
  if (rest === '/values:batchUpdate' && req.method === 'POST') {
    const input = inputOption(body.valueInputOption);
    const data = (body.data ?? []) as Array<{ range: string; values?: unknown[][]; majorDimension?: Major }>;
    // All-or-nothing: one bad range or overflow undoes the writes before it.
    const snapshot = ss.sheets.map((sh) => ({ sh, rows: sh.rows.map((r) => [...r]), rowCount: sh.rowCount, columnCount: sh.columnCount }));
    let responses: ReturnType<typeof update>[];
    try {
      responses = data.map((d) => update(ctx, ss, d.range, d, input, { includeValuesInResponse: String(body.includeValuesInResponse ?? false), responseValueRenderOption: body.responseValueRenderOption as string | undefined }));
    } catch (err) {
      for (const s of snapshot) Object.assign(s.sh, { rows: s.rows, rowCount: s.rowCount, columnCount: s.columnCount });
      throw err;
    }
    const sheets = new Set(responses.map((r) => r.updatedRange.split('!')[0]));
    return touched({
      spreadsheetId: ss.id,
      totalUpdatedRows: responses.reduce((n, r) => n + r.updatedRows, 0),
      totalUpdatedColumns: responses.reduce((n, r) => n + r.updatedColumns, 0),
      totalUpdatedCells: responses.reduce((n, r) => n + r.updatedCells, 0),
      totalUpdatedSheets: sheets.size,
      responses,
    });
  }
  if (rest === '/values:batchClear' && req.method === 'POST') {
    const ranges = (body.ranges ?? []) as string[];
    const bounds = ranges.map((r) => resolve(ss, r));
    bounds.forEach(clearValues);
    return touched({ spreadsheetId: ss.id, clearedRanges: bounds.map(boundsA1) });
  }
  const v = /^\/values\/(.+?)(:append|:clear)?$/.exec(rest);
  if (!v) return googleError(reply, 404, 'Requested entity was not found.');
  const range = decodeURIComponent(v[1]!);
  if (!v[2] && req.method === 'GET') return valueRange(ctx, ss, range, q);
  if (!v[2] && req.method === 'PUT') return touched(update(ctx, ss, range, body, inputOption(one(q.valueInputOption)), q));
  if (v[2] === ':append' && req.method === 'POST') return touched(append(ctx, ss, range, body, inputOption(one(q.valueInputOption)), q));
  if (v[2] === ':clear' && req.method === 'POST') {
    const b = resolve(ss, range);
    clearValues(b);
    return touched({ spreadsheetId: ss.id, clearedRange: boundsA1(b) });
  }
  return googleError(reply, 404, 'Requested entity was not found.');
}

export function registerSheetsRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.route({
    method: ['GET', 'PUT', 'POST'],
    url: '/v4/spreadsheets/*',
    handler: async (req, reply) => {
      try {
        return await dispatch(ctx, req, reply);
      } catch (err) {
        if (err instanceof RangeError400) return googleError(reply, 400, err.message);
        throw err;
      }
    },
  });

  app.post('/v4/spreadsheets', async (req, reply) => {
    if (!hasScope(callerOf(req).scope, 'write', 'sheets')) return googleError(reply, 403, 'Request had insufficient authentication scopes.');
    const b = (req.body ?? {}) as { properties?: { title?: string }; sheets?: Array<{ properties?: { title?: string } }> };
    const id = `sheet-${ctx.random().toString(36).slice(2, 14)}`;
    const sheets = (b.sheets ?? [{}]).map((s, i) => ({ title: s.properties?.title ?? `Sheet${i + 1}` }));
    return spreadsheetJson(ctx, addSpreadsheet(ctx.state, id, b.properties?.title ?? 'Untitled spreadsheet', sheets));
  });
}
