import { DEFAULT_ASSOCIATION_TYPES, OBJECT_TYPES, objectTypeOf, type ObjectType } from './object-types.ts';
import { definition, type PropertyDefinition } from './property-catalog.ts';
import { associate, createRecord, type HubSpotState } from './store.ts';
import type { HubSpotContext } from './knobs.ts';

/**
 * Fills the portal from a fixture (`{contacts:[{properties}], companies, deals,
 * associations, properties}`) or a generator spec (`{generate:{contacts:10000}}`).
 * Generated data comes from ctx.random, so the same seed gives the same portal.
 * Seeding fires no webhooks.
 */
interface Fixture {
  contacts?: { properties: Record<string, unknown> }[];
  companies?: { properties: Record<string, unknown> }[];
  deals?: { properties: Record<string, unknown> }[];
  associations?: { from: string; fromIndex: number; to: string; toIndex: number }[];
  properties?: Partial<Record<ObjectType, (Partial<PropertyDefinition> & { name: string })[]>>;
  generate?: Partial<Record<ObjectType, number>>;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim', 'Margaret', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee', 'Hamilton', 'Torvalds'];
const WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Soylent', 'Cyberdyne', 'Wonka'];
const STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];
const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];

export function seed(ctx: HubSpotContext, spec: unknown): void {
  const f = (spec ?? {}) as Fixture;
  for (const [rawType, defs] of Object.entries(f.properties ?? {})) {
    const type = objectTypeOf(rawType);
    if (type) for (const d of defs ?? []) ctx.state.properties[type].set(d.name, definition(d, false));
  }
  const created: Record<ObjectType, string[]> = { contacts: [], companies: [], deals: [] };
  for (const type of Object.keys(OBJECT_TYPES) as ObjectType[]) {
    for (const item of f[type] ?? []) created[type].push(createRecord(ctx.state, type, item.properties).record.id);
  }
  for (const a of f.associations ?? []) {
    const from = objectTypeOf(a.from);
    const to = objectTypeOf(a.to);
    const fromId = from && created[from][a.fromIndex];
    const toId = to && created[to][a.toIndex];
    if (from && to && fromId && toId) linkDefault(ctx.state, from, fromId, to, toId);
  }
  if (f.generate) generate(ctx, f.generate);
}

function linkDefault(state: HubSpotState, from: ObjectType, fromId: string, to: ObjectType, toId: string): void {
  const forward = DEFAULT_ASSOCIATION_TYPES[`${from}->${to}`];
  const backward = DEFAULT_ASSOCIATION_TYPES[`${to}->${from}`];
  if (forward && backward) associate(state, from, fromId, to, toId, [forward.typeId], [backward.typeId]);
}

/** Spreads creation times over the past so "changed since" queries have something to cut. */
function generate(ctx: HubSpotContext, counts: Partial<Record<ObjectType, number>>): void {
  const pick = <T>(list: T[]): T => list[Math.floor(ctx.random() * list.length)] as T;
  const start = Date.now() - 30 * 24 * 3600_000;
  const stepMs = (n: number) => Math.max(1, Math.floor((30 * 24 * 3600_000) / Math.max(n, 1)));
  const companies: string[] = [];
  const contacts: string[] = [];
  const nCompanies = counts.companies ?? 0;
  for (let i = 0; i < nCompanies; i++) {
    const name = `${pick(WORDS)} ${pick(['Inc', 'LLC', 'GmbH', 'Ltd', 'Group'])} ${i + 1}`;
    const props = { name, domain: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`, industry: 'COMPUTER_SOFTWARE', numberofemployees: String(1 + Math.floor(ctx.random() * 5000)) };
    companies.push(createRecord(ctx.state, 'companies', props, new Date(start + i * stepMs(nCompanies)), true).record.id);
  }
  const nContacts = counts.contacts ?? 0;
  for (let i = 0; i < nContacts; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const props = {
      firstname: first, lastname: last, email: `${first}.${last}.${i + 1}@example.com`.toLowerCase(),
      phone: `+1555${String(Math.floor(ctx.random() * 1e7)).padStart(7, '0')}`, lifecyclestage: pick(LIFECYCLE),
    };
    const id = createRecord(ctx.state, 'contacts', props, new Date(start + i * stepMs(nContacts)), true).record.id;
    contacts.push(id);
    if (companies.length > 0) linkDefault(ctx.state, 'contacts', id, 'companies', pick(companies));
  }
  const nDeals = counts.deals ?? 0;
  for (let i = 0; i < nDeals; i++) {
    const props = {
      dealname: `${pick(WORDS)} deal ${i + 1}`, amount: String(Math.floor(ctx.random() * 100_000)), pipeline: 'default',
      dealstage: pick(STAGES), closedate: new Date(start + Math.floor(ctx.random() * 60) * 24 * 3600_000).toISOString(),
    };
    const id = createRecord(ctx.state, 'deals', props, new Date(start + i * stepMs(nDeals)), true).record.id;
    if (companies.length > 0) linkDefault(ctx.state, 'deals', id, 'companies', pick(companies));
    if (contacts.length > 0) linkDefault(ctx.state, 'deals', id, 'contacts', pick(contacts));
  }
}
