import type { NotionCtx } from './knobs.ts';
import { createPage } from './page-ops.ts';
import { uuidFrom, type Property, type PropertyType } from './store.ts';

/**
 * Fills the workspace from a fixture (`{ databases: [...] }`) or a generator
 * spec (`{ generate: { pages: 1000 } }`, which makes a "Leads" database with
 * one property of each supported type). Ids and data come from ctx.random.
 */
export interface DatabaseFixture {
  id?: string;
  dataSourceId?: string;
  title: string;
  properties: { name: string; type: PropertyType; options?: string[] }[];
  pages?: { properties: Record<string, unknown>; created_time?: string }[];
}

export interface SeedSpec {
  databases?: DatabaseFixture[];
  generate?: { pages?: number };
}

export const leadsProperties: DatabaseFixture['properties'] = [
  { name: 'Name', type: 'title' },
  { name: 'Email', type: 'email' },
  { name: 'Phone', type: 'phone_number' },
  { name: 'Company', type: 'rich_text' },
  { name: 'Stage', type: 'select', options: ['Lead', 'Qualified', 'Customer'] },
  { name: 'Status', type: 'status', options: ['Not started', 'In progress', 'Done'] },
  { name: 'Deal value', type: 'number' },
  { name: 'Next contact', type: 'date' },
  { name: 'Owner', type: 'people' },
  { name: 'Subscribed', type: 'checkbox' },
];

const COLORS = ['gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red'];

export function addDatabase(ctx: NotionCtx, fixture: DatabaseFixture): string {
  const r = ctx.random;
  const shortId = () => Array.from({ length: 4 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789'[Math.floor(r() * 46)]).join('');
  const properties: Property[] = fixture.properties.map((p) => ({
    id: p.type === 'title' ? 'title' : shortId(), name: p.name, type: p.type,
    ...(p.options ? { options: p.options.map((name, i) => ({ id: shortId(), name, color: COLORS[i % COLORS.length]!, description: null })) } : {}),
    ...(p.type === 'number' ? { format: 'number' } : {}),
  }));
  const id = fixture.id ?? uuidFrom(r);
  const dsId = fixture.dataSourceId ?? uuidFrom(r);
  const time = new Date(Date.UTC(2024, 0, 1)).toISOString();
  ctx.state.databases.set(id, { id, title: fixture.title, dataSourceId: dsId, parentPageId: uuidFrom(r), createdTime: time, lastEditedTime: time, inTrash: false });
  ctx.state.dataSources.set(dsId, { id: dsId, databaseId: id, name: fixture.title, properties });
  const bot = { id: ctx.state.botId, type: 'bot' as const };
  for (const page of fixture.pages ?? []) {
    createPage(ctx, { parent: { data_source_id: dsId }, properties: page.properties }, bot, page.created_time ? Date.parse(page.created_time) : Date.now());
  }
  return id;
}

const text = (content: string) => [{ type: 'text', text: { content } }];
const FIRST = ['Alice', 'Bob', 'Carmen', 'Dmitri', 'Eve', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas'];
const LAST = ['Nguyen', 'Smith', 'Garcia', 'Ivanova', 'Okafor', 'Rossi', 'Tanaka', 'Silva'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli'];

function generate(ctx: NotionCtx, count: number): void {
  const pick = <T>(list: T[]): T => list[Math.floor(ctx.random() * list.length)]!;
  const people = [...ctx.state.users.values()].filter((u) => u.type === 'person').map((u) => u.id);
  const start = Date.UTC(2024, 0, 1);
  addDatabase(ctx, {
    title: 'Leads', properties: leadsProperties,
    pages: Array.from({ length: count }, (_, i) => {
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      return {
        created_time: new Date(start + i * 60_000).toISOString(),
        properties: {
          Name: { title: text(name) },
          Email: { email: `${name.replace(' ', '.').toLowerCase()}${i}@example.com` },
          Phone: { phone_number: `+1 555 ${String(1_000_000 + i).slice(-7)}` },
          Company: { rich_text: text(pick(COMPANIES)) },
          Stage: { select: { name: pick(['Lead', 'Qualified', 'Customer']) } },
          Status: { status: { name: pick(['Not started', 'In progress', 'Done']) } },
          'Deal value': { number: Math.round(ctx.random() * 100_000) },
          'Next contact': ctx.random() < 0.5 ? { date: { start: new Date(start + Math.floor(ctx.random() * 365) * 86_400_000).toISOString().slice(0, 10) } } : { date: null },
          Owner: { people: [{ id: pick(people) }] },
          Subscribed: { checkbox: ctx.random() < 0.5 },
        },
      };
    }),
  });
}

export function seed(ctx: NotionCtx, raw: unknown): void {
  const spec = (raw ?? {}) as SeedSpec;
  for (const fixture of spec.databases ?? []) addDatabase(ctx, fixture);
  if (spec.generate) generate(ctx, spec.generate.pages ?? 0);
}
