import { statusLabels, textOf, valueOf } from './column-values.ts';
import { firstPage, type ItemsQuery, type Page } from './items-query.ts';
import type { MondayCtx } from './knobs.ts';
import { activeItemsOf, settingsStr, type Board, type Column, type Group, type Item, type MondayState } from './store.ts';

/**
 * Store records shaped as GraphQL objects. graphql-js's default resolver
 * calls a property that is a function with (args, context), which is how
 * fields with arguments (`items_page`, `column_values`) are served lazily.
 */
type Args = Record<string, unknown>;

const typeNames: Record<Column['type'], string> = {
  name: 'TextValue', text: 'TextValue', email: 'EmailValue', phone: 'PhoneValue',
  status: 'StatusValue', date: 'DateValue', numbers: 'NumbersValue', people: 'PeopleValue',
};

export function columnView(column: Column) {
  return { id: column.id, title: column.title, type: column.type, settings_str: settingsStr(column), archived: false, description: null, width: null };
}

function columnValueView(state: MondayState, column: Column, stored: unknown) {
  const v = (stored ?? {}) as Record<string, unknown>;
  const base = { __typename: typeNames[column.type], id: column.id, type: column.type, text: textOf(state, column, stored), value: valueOf(stored), column: columnView(column) };
  const updated = typeof v.changed_at === 'string' ? v.changed_at : null;
  switch (column.type) {
    case 'email': return { ...base, email: v.email ?? null, label: v.text ?? null, updated_at: updated };
    case 'phone': return { ...base, phone: v.phone ?? null, country_short_name: v.countryShortName ?? null, updated_at: updated };
    case 'status': {
      const index = stored === undefined ? null : (v.index as number);
      const done = ((column.settings.done_colors ?? []) as number[]);
      return { ...base, index, label: index === null ? null : statusLabels(column)[String(index)] ?? null, is_done: index !== null && done.includes(index), updated_at: updated };
    }
    case 'date': return { ...base, date: v.date ?? null, time: v.time ?? null, updated_at: updated };
    case 'numbers': return { ...base, number: stored === undefined ? null : Number(stored), symbol: null, direction: null };
    case 'people': return { ...base, persons_and_teams: (v.personsAndTeams as unknown[] | undefined) ?? null, updated_at: updated };
    default: return base;
  }
}

export function groupView(fake: MondayCtx, board: Board, group: Group, position: number) {
  return {
    id: group.id, title: group.title, color: group.color, archived: false, deleted: false, position: String(position * 65536),
    items_page: (args: Args) => pageView(fake, firstPage(fake.state, board, Number(args.limit), args.query_params as ItemsQuery | null,
      { systemColumns: fake.knobs.systemColumnRules }, group.id)),
  };
}

export function boardView(fake: MondayCtx, board: Board) {
  const state = fake.state;
  return {
    id: board.id, name: board.name, state: 'active', board_kind: 'public', description: null, workspace_id: null,
    permissions: 'everyone', updated_at: board.updatedAt,
    items_count: () => activeItemsOf(state, board).length,
    columns: (args: Args) => board.columns
      .filter((c) => !args.ids || (args.ids as string[]).includes(c.id))
      .filter((c) => !args.types || (args.types as string[]).includes(c.type))
      .map(columnView),
    groups: (args: Args) => board.groups
      .map((g, i) => ({ g, i }))
      .filter(({ g }) => !args.ids || (args.ids as string[]).includes(g.id))
      .map(({ g, i }) => groupView(fake, board, g, i)),
    items_page: (args: Args) => pageView(fake, firstPage(state, board, Number(args.limit), args.query_params as ItemsQuery | null,
      { systemColumns: fake.knobs.systemColumnRules })),
  };
}

export function itemView(fake: MondayCtx, item: Item) {
  const state = fake.state;
  const board = state.boards.get(item.boardId)!;
  return {
    id: item.id, name: item.name, state: item.state, created_at: item.createdAt, updated_at: item.updatedAt, creator_id: item.creatorId,
    url: `${fake.baseUrl()}/boards/${board.id}/pulses/${item.id}`,
    board: () => boardView(fake, board),
    group: () => {
      const index = board.groups.findIndex((g) => g.id === item.groupId);
      return index < 0 ? null : groupView(fake, board, board.groups[index]!, index);
    },
    // Monday lists every column except the name (that is `item.name`).
    column_values: (args: Args) => board.columns
      .filter((c) => c.type !== 'name')
      .filter((c) => !args.ids || (args.ids as string[]).includes(c.id))
      .filter((c) => !args.types || (args.types as string[]).includes(c.type))
      .map((c) => columnValueView(state, c, item.values.get(c.id))),
  };
}

export function pageView(fake: MondayCtx, page: Page) {
  return { cursor: page.cursor, items: page.items.map((i) => itemView(fake, i)) };
}
