import type { RecordChange } from '../types.ts';
import { typedColumn, type RawColumnValue, type TypedColumn } from './columns.ts';

/**
 * Items and boards as the GraphQL API returns them, and their normalised
 * records. An item's cells are keyed by column id under `columns`, each
 * typed (see columns.ts); the item's own fields keep Monday's names.
 */
export const ITEM_FIELDS = 'id name state created_at updated_at creator_id board { id } group { id title } column_values { id type text value }';

export interface RawItem {
  id: string;
  name: string;
  state?: string | null;
  created_at: string | null;
  updated_at: string | null;
  creator_id?: string | null;
  board?: { id: string } | null;
  group?: { id: string; title: string } | null;
  column_values: RawColumnValue[];
}

export interface MondayItem {
  id: string;
  boardId: string;
  name: string;
  group: { id: string; title: string } | null;
  created_at: string | null;
  updated_at: string | null;
  creator_id: string | null;
  columns: Record<string, TypedColumn>;
}

export function toItem(raw: RawItem, boardId?: string): MondayItem {
  return {
    id: String(raw.id),
    boardId: String(raw.board?.id ?? boardId ?? ''),
    name: raw.name,
    group: raw.group ? { id: raw.group.id, title: raw.group.title } : null,
    created_at: iso(raw.created_at),
    updated_at: iso(raw.updated_at),
    creator_id: raw.creator_id ?? null,
    columns: Object.fromEntries(raw.column_values.map((c) => [c.id, typedColumn(c)])),
  };
}

export function itemChange(raw: RawItem, boardId?: string): RecordChange<MondayItem> {
  const record = toItem(raw, boardId);
  return { id: record.id, record, modifiedAt: Date.parse(record.updated_at ?? record.created_at ?? '') || 0 };
}

function iso(v: string | null | undefined): string | null {
  if (!v) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export const BOARD_FIELDS = 'id name state board_kind workspace_id updated_at items_count columns { id title type } groups { id title }';

export interface MondayBoard {
  id: string;
  name: string;
  state: string;
  board_kind: string;
  workspace_id: string | null;
  updated_at: string | null;
  items_count: number | null;
  columns: { id: string; title: string; type: string }[];
  groups: { id: string; title: string }[];
}

export function boardChange(raw: MondayBoard): RecordChange<MondayBoard> {
  const record: MondayBoard = {
    id: String(raw.id), name: raw.name, state: raw.state, board_kind: raw.board_kind,
    workspace_id: raw.workspace_id === null || raw.workspace_id === undefined ? null : String(raw.workspace_id),
    updated_at: iso(raw.updated_at), items_count: raw.items_count ?? null,
    columns: (raw.columns ?? []).map((c) => ({ id: c.id, title: c.title, type: c.type })),
    groups: (raw.groups ?? []).map((g) => ({ id: g.id, title: g.title })),
  };
  return { id: record.id, record, modifiedAt: Date.parse(record.updated_at ?? '') || 0 };
}

const nullable = (type: string) => ({ type: [type, 'null'] });
const typed = (type: string, fields: Record<string, unknown>, required: string[]) => ({
  type: 'object', required: ['type', 'text', ...required], additionalProperties: false,
  properties: { type: { const: type }, text: nullable('string'), ...fields },
});

export const itemSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'monday.com item',
  type: 'object',
  required: ['id', 'boardId', 'name', 'group', 'created_at', 'updated_at', 'creator_id', 'columns'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    boardId: { type: 'string' },
    name: { type: 'string' },
    group: { oneOf: [{ type: 'null' }, { type: 'object', required: ['id', 'title'], properties: { id: { type: 'string' }, title: { type: 'string' } } }] },
    created_at: { ...nullable('string'), format: 'date-time' },
    updated_at: { ...nullable('string'), format: 'date-time' },
    creator_id: nullable('string'),
    columns: {
      type: 'object',
      description: 'Cells keyed by column id (the name column is `name` above).',
      additionalProperties: {
        oneOf: [
          typed('text', {}, []),
          typed('email', { email: nullable('string'), label: nullable('string') }, ['email', 'label']),
          typed('phone', { phone: nullable('string'), countryShortName: nullable('string') }, ['phone', 'countryShortName']),
          typed('status', { label: nullable('string'), index: nullable('integer') }, ['label', 'index']),
          typed('date', { date: nullable('string'), time: nullable('string') }, ['date', 'time']),
          typed('numbers', { number: nullable('number') }, ['number']),
          typed('people', { personIds: { type: 'array', items: { type: 'integer' } }, teamIds: { type: 'array', items: { type: 'integer' } } }, ['personIds', 'teamIds']),
          { type: 'object', required: ['type', 'text', 'value'], properties: { type: { type: 'string' }, text: nullable('string'), value: {} }, description: 'any other column type: Monday\'s stored value, parsed' },
        ],
      },
    },
  },
};

export const boardSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'monday.com board',
  type: 'object',
  required: ['id', 'name', 'state', 'board_kind', 'workspace_id', 'updated_at', 'items_count', 'columns', 'groups'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, state: { type: 'string' }, board_kind: { type: 'string' },
    workspace_id: nullable('string'), updated_at: { ...nullable('string'), format: 'date-time' }, items_count: nullable('integer'),
    columns: { type: 'array', items: { type: 'object', required: ['id', 'title', 'type'], properties: { id: { type: 'string' }, title: { type: 'string' }, type: { type: 'string' } } } },
    groups: { type: 'array', items: { type: 'object', required: ['id', 'title'], properties: { id: { type: 'string' }, title: { type: 'string' } } } },
  },
};
