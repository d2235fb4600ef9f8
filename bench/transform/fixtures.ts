import { z } from 'zod';
import { defineFunction, type FunctionRegistry } from '../../src/transform/index.ts';

/**
 * The benchmark's workload: a 10-field contact mapping with normalisation and
 * a template, written once as a Switchyard spec and once as the equivalent
 * JSONata expression. `phone` picks the normaliser: libphonenumber's full
 * parser, or a cheap digits-only one (registered as a custom function), since
 * the parser alone can dominate the cost.
 */
export type PhoneMode = 'libphonenumber' | 'digits';

const STATUS_TABLE = { New: 'lead', Contacted: 'marketingqualifiedlead', Qualified: 'salesqualifiedlead', Lost: 'other' };

export function mappingSpec(phone: PhoneMode): unknown {
  return {
    version: 1,
    name: 'bench-contacts',
    fields: [
      { source: 'id', target: 'externalId' },
      { source: 'first', target: 'firstname', transform: ['trim'] },
      { source: 'last', target: 'lastname', transform: ['trim'] },
      { source: 'email', target: 'email', transform: ['email_normalize'] },
      { source: 'phone', target: 'phone', transform: [phone === 'digits' ? 'phone_digits' : { fn: 'phone_normalize', args: { defaultCountry: 'US' } }] },
      { source: 'company', target: 'company', transform: ['trim'] },
      { source: 'status', target: 'lifecyclestage', transform: [{ fn: 'lookup', args: { table: STATUS_TABLE, default: 'lead' } }] },
      { source: 'city', target: 'city', transform: ['trim', 'upper'] },
      { target: 'fullname', transform: [{ fn: 'template', args: { template: '{{first}} {{last}}' } }] },
      { source: 'created', target: 'createdate', transform: [{ fn: 'date_format', args: { to: 'date' } }] },
    ],
  };
}

/** North American numbers only: strip everything but digits and prefix +1. */
export const phoneDigits = (s: string): string => {
  const d = s.replace(/\D/g, '');
  return d.length === 11 && d[0] === '1' ? `+${d}` : `+1${d}`;
};

export const benchFunctions: FunctionRegistry = {
  phone_digits: defineFunction({ summary: 'digits-only +1 phone normaliser', elementwise: true, args: z.strictObject({}), compile: () => (v) => (typeof v === 'string' ? phoneDigits(v) : v) }),
};

/** The same mapping in JSONata. `$phone` is libphonenumber, registered on the expression (same work as ours). */
export function jsonataExpression(phone: PhoneMode): string {
  const phoneExpr = phone === 'digits' ? '$phoneDigits(phone)' : '$phone(phone)';
  return `{
    "externalId": id,
    "firstname": $trim(first),
    "lastname": $trim(last),
    "email": ($e := $lowercase($trim(email)); $contains($e, /^[^\\s@]{1,64}@[^\\s@]{1,255}\\.[^\\s@.]{1,63}$/) ? $e : $error("invalid email")),
    "phone": ${phoneExpr},
    "company": $trim(company),
    "lifecyclestage": ($s := $lookup(${JSON.stringify(STATUS_TABLE)}, status); $exists($s) ? $s : "lead"),
    "city": $uppercase($trim(city)),
    "fullname": $replace(first & " " & last, /^\\s+|\\s+$/, ""),
    "createdate": $fromMillis(created, "[Y0001]-[M01]-[D01]")
  }`;
}

const FIRST = ['Ada', ' Grace', 'Alan ', 'Katherine', 'Linus', 'Barbara', 'Edsger', 'Margaret', 'Donald', 'Frances'];
const LAST = ['Lovelace', 'Hopper ', 'Turing', ' Johnson', 'Torvalds', 'Liskov', 'Dijkstra', 'Hamilton', 'Knuth', 'Allen'];
const COMPANIES = ['Acme Corp ', ' Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries'];
const CITIES = ['oslo', ' Lisbon', 'Kyoto ', 'Austin', 'Lagos'];
const STATUSES = ['New', 'Contacted', 'Qualified', 'Lost', 'Unknown'];
const AREAS = ['212', '415', '617', '303', '512'];

/** A pool of distinct, deterministic records; the runs cycle through it. */
export function makeRecords(n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const line = String(1000 + (i % 9000));
    out.push({
      id: `item_${i}`,
      first,
      last,
      email: ` ${first.trim()}.${last.trim()}${i}@Example.COM `,
      phone: i % 2 === 0 ? `(${AREAS[i % AREAS.length]}) 555-${line}` : `+1 ${AREAS[i % AREAS.length]} 555 ${line}`,
      company: COMPANIES[i % COMPANIES.length],
      status: STATUSES[i % STATUSES.length],
      city: CITIES[i % CITIES.length],
      created: Date.UTC(2024, 0, 1) + i * 3_600_000,
    });
  }
  return out;
}
