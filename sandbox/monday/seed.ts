import { createItem } from './item-ops.ts';
import type { MondayCtx } from './knobs.ts';
import { newId, type Board, type Column, type Group } from './store.ts';

/**
 * Fills the account from a fixture (`{ boards: [...] }`) or a generator spec
 * (`{ generate: { boards: 3, items: 10000 } }`). The generator's first board
 * is "Leads" (name, email, phone, status, company, owner) and holds all the
 * generated items; the other boards are small project boards. Data comes
 * from ctx.random, so the same seed gives the same account.
 */
export interface BoardFixture {
  id?: string;
  name: string;
  columns?: { id: string; title: string; type: Column['type']; settings?: Record<string, unknown> }[];
  groups?: { id: string; title: string; color?: string }[];
  items?: { name: string; group_id?: string; column_values?: Record<string, unknown>; created_at?: string }[];
}

export interface SeedSpec {
  boards?: BoardFixture[];
  generate?: { boards?: number; items?: number };
}

const STATUS_SETTINGS = {
  labels: { 0: 'New', 1: 'Qualified', 2: 'Lost', 3: 'Contacted', 5: '' },
  labels_colors: { 0: { color: '#fdab3d' }, 1: { color: '#00c875' }, 2: { color: '#e2445c' }, 3: { color: '#579bfc' }, 5: { color: '#c4c4c4' } },
  done_colors: [1],
};

export const leadsColumns: NonNullable<BoardFixture['columns']> = [
  { id: 'name', title: 'Name', type: 'name' },
  { id: 'email', title: 'Email', type: 'email' },
  { id: 'phone', title: 'Phone', type: 'phone' },
  { id: 'status', title: 'Status', type: 'status', settings: STATUS_SETTINGS },
  { id: 'company', title: 'Company', type: 'text' },
  { id: 'owner', title: 'Owner', type: 'people' },
  { id: 'date', title: 'Next contact', type: 'date' },
  { id: 'deal_value', title: 'Deal value', type: 'numbers' },
];

const FIRST = ['Alice', 'Bob', 'Carmen', 'Dmitri', 'Eve', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Keiko', 'Liam'];
const LAST = ['Nguyen', 'Smith', 'Garcia', 'Ivanova', 'Okafor', 'Rossi', 'Schmidt', 'Tanaka', 'Silva', 'Haddad'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises', 'Soylent'];

export function addBoard(ctx: MondayCtx, fixture: BoardFixture): Board {
  const columns: Column[] = (fixture.columns ?? [{ id: 'name', title: 'Name', type: 'name' }])
    .map((c) => ({ id: c.id, title: c.title, type: c.type, settings: structuredClone(c.settings ?? {}) }));
  const groups: Group[] = (fixture.groups ?? [{ id: 'topics', title: 'Group Title' }])
    .map((g) => ({ id: g.id, title: g.title, color: g.color ?? '#579bfc' }));
  const board: Board = { id: fixture.id ?? newId(ctx.state), name: fixture.name, columns, groups, itemIds: [], updatedAt: new Date().toISOString() };
  ctx.state.boards.set(board.id, board);
  for (const item of fixture.items ?? []) {
    createItem(ctx.state, { boardId: board.id, name: item.name, groupId: item.group_id ?? null, columnValues: item.column_values ?? {}, ...(item.created_at ? { at: item.created_at } : {}) });
  }
  return board;
}

function generate(ctx: MondayCtx, boards: number, items: number): void {
  const pick = <T>(list: T[]): T => list[Math.floor(ctx.random() * list.length)]!;
  const leads = addBoard(ctx, {
    name: 'Leads', columns: leadsColumns,
    groups: [{ id: 'topics', title: 'New leads' }, { id: 'group_qualified', title: 'Qualified', color: '#00c875' }],
  });
  const users = [...ctx.state.users.keys()];
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < items; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const at = new Date(start + i * 60_000).toISOString();
    const values: Record<string, unknown> = {
      email: { email: `${first}.${last}${i}@example.com`.toLowerCase(), text: `${first} ${last}` },
      phone: { phone: `+1555${String(1_000_000 + i).slice(-7)}`, countryShortName: 'US' },
      status: { index: pick([0, 1, 2, 3]) },
      company: pick(COMPANIES),
      owner: { personsAndTeams: [{ id: Number(pick(users)), kind: 'person' }] },
    };
    if (ctx.random() < 0.5) values.date = { date: new Date(start + Math.floor(ctx.random() * 365) * 86_400_000).toISOString().slice(0, 10) };
    if (ctx.random() < 0.7) values.deal_value = String(Math.round(ctx.random() * 100_000));
    createItem(ctx.state, { boardId: leads.id, name: `${first} ${last}`, groupId: ctx.random() < 0.8 ? 'topics' : 'group_qualified', columnValues: values, at });
  }
  for (let b = 1; b < boards; b++) {
    addBoard(ctx, {
      name: `Project ${b}`,
      columns: [{ id: 'name', title: 'Name', type: 'name' }, { id: 'text', title: 'Notes', type: 'text' }, { id: 'date4', title: 'Due', type: 'date' }],
      items: [1, 2, 3].map((n) => ({ name: `Task ${b}.${n}`, column_values: { text: `note ${n}` } })),
    });
  }
}

export function seed(ctx: MondayCtx, raw: unknown): void {
  const spec = (raw ?? {}) as SeedSpec;
  for (const fixture of spec.boards ?? []) addBoard(ctx, fixture);
  if (spec.generate) generate(ctx, Math.max(1, spec.generate.boards ?? 1), spec.generate.items ?? 0);
}
