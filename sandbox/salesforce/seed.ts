import { validateWrite } from './records.ts';
import { objectDef } from './schema.ts';
import { sfDateTime, type Rec } from './store.ts';
import type { SfCtx } from './state.ts';

/**
 * Fills the org from fixtures (`{ records: { Lead: [...] } }`) or a generator
 * spec (`{ generate: { Lead: 10000, accounts: 50 } }`). Generated data is
 * deterministic (ctx.random) and backdated from 2024-01-01, one minute apart,
 * so SystemModstamp filters have something to bite on. Seeding sends no
 * outbound messages: it is setup, not a user's change.
 */
const ALIASES: Record<string, string> = { leads: 'Lead', accounts: 'Account', contacts: 'Contact', opportunities: 'Opportunity', foos: 'Foo__c' };
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds', 'Allen', 'Backus'];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent'];
const EPOCH = Date.UTC(2024, 0, 1);

interface SeedSpec { records?: Record<string, Rec[]>; generate?: Record<string, number> }

export function seed(ctx: SfCtx, spec: unknown): void {
  const s = (spec ?? {}) as SeedSpec;
  const store = ctx.state.store;
  const saved = store.onCommit;
  store.onCommit = () => undefined;
  try {
    for (const [type, list] of Object.entries(s.records ?? {})) for (const r of list) insertFixture(ctx, typeName(type), r);
    // Parents first so children can point at them.
    const order = ['Account', 'Lead', 'Contact', 'Opportunity', 'Foo__c'];
    const gen = Object.entries(s.generate ?? {}).map(([k, n]) => [typeName(k), n] as const).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    for (const [type, n] of gen) generate(ctx, type, n);
  } finally {
    store.onCommit = saved;
  }
}

function typeName(key: string): string {
  const name = ALIASES[key.toLowerCase()] ?? objectDef(key)?.name;
  if (!name) throw new Error(`seed: unknown sObject type ${key}`);
  return name;
}

function insertFixture(ctx: SfCtx, type: string, input: Rec): void {
  const obj = objectDef(type)!;
  const { Id: _id, CreatedDate, LastModifiedDate, SystemModstamp, IsDeleted, Name, ...rest } = input;
  const writable = obj.fields.find((f) => f.name === 'Name')?.readOnly ? rest : { ...rest, ...(Name === undefined ? {} : { Name }) };
  const v = validateWrite(obj, writable, 'create');
  if ('errorCode' in v) throw new Error(`seed ${type}: ${v.errorCode} ${v.message}`);
  const at = typeof CreatedDate === 'string' ? Date.parse(CreatedDate) : ctx.state.store.clock();
  const rec = ctx.state.store.insert(obj, v.values, at);
  const modified = LastModifiedDate ?? SystemModstamp;
  if (typeof modified === 'string') rec.LastModifiedDate = rec.SystemModstamp = sfDateTime(Date.parse(modified));
  if (IsDeleted === true) rec.IsDeleted = true;
}

function generate(ctx: SfCtx, type: string, n: number): void {
  const obj = objectDef(type)!;
  const store = ctx.state.store;
  const pick = <T>(xs: T[]): T => xs[Math.floor(ctx.random() * xs.length)]!;
  const accounts = [...store.table('Account').keys()];
  const start = [...['Account', 'Lead', 'Contact', 'Opportunity', 'Foo__c']].reduce((sum, t) => sum + store.count(t), 0);
  for (let i = 0; i < n; i += 1) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const company = `${pick(COMPANIES)} ${Math.floor(ctx.random() * 1000)}`;
    const serial = store.count(type) + 1;
    const email = `${first}.${last}.${serial}@example.com`.toLowerCase();
    const values: Rec = type === 'Lead' ? { FirstName: first, LastName: last, Company: company, Email: email, Status: pick(['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted']), LeadSource: pick(['Web', 'Phone Inquiry', 'Partner Referral']), External_Id__c: `lead-${serial}` }
      : type === 'Account' ? { Name: company, Industry: pick(['Banking', 'Retail', 'Technology', 'Energy']), Type: pick(['Prospect', 'Customer - Direct', 'Partner']), BillingCountry: pick(['US', 'DE', 'FR', 'JP']), External_Id__c: `acct-${serial}` }
        : type === 'Contact' ? { FirstName: first, LastName: last, Email: email, ...(accounts.length ? { AccountId: pick(accounts) } : {}), External_Id__c: `contact-${serial}` }
          : type === 'Opportunity' ? { Name: `${company} deal`, StageName: pick(['Prospecting', 'Qualification', 'Closed Won', 'Closed Lost']), CloseDate: '2024-12-31', Amount: Math.round(ctx.random() * 100_000), ...(accounts.length ? { AccountId: pick(accounts) } : {}) }
            : { Name: `Foo ${serial}`, Bar__c: pick(COMPANIES), Amount__c: Math.round(ctx.random() * 1000) / 10, Active__c: ctx.random() < 0.5, External_Id__c: `foo-${serial}` };
    store.insert(obj, values, EPOCH + (start + i) * 60_000);
  }
}
