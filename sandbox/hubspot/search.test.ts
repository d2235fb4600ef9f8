import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { definition } from './property-catalog.ts';
import { matchesFilter } from './search.ts';
import { startHubSpot } from './index.ts';

const numberDef = definition({ name: 'n', type: 'number' }, false);
const dateDef = definition({ name: 'd', type: 'datetime' }, false);
const textDef = definition({ name: 't', type: 'string' }, false);

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

describe('search filter semantics (properties)', () => {
  test('NEQ is the complement of EQ, NOT_HAS_PROPERTY of HAS_PROPERTY, NOT_IN of IN', () => {
    fc.assert(fc.property(maybe(fc.integer({ min: -50, max: 50 }).map(String)), fc.integer({ min: -50, max: 50 }), (stored, v) => {
      const eq = matchesFilter(stored, numberDef, { propertyName: 'n', operator: 'EQ', value: String(v) });
      const neq = matchesFilter(stored, numberDef, { propertyName: 'n', operator: 'NEQ', value: String(v) });
      const has = matchesFilter(stored, numberDef, { propertyName: 'n', operator: 'HAS_PROPERTY' });
      const hasNot = matchesFilter(stored, numberDef, { propertyName: 'n', operator: 'NOT_HAS_PROPERTY' });
      const inn = matchesFilter(stored, numberDef, { propertyName: 'n', operator: 'IN', values: [String(v)] });
      const notIn = matchesFilter(stored, numberDef, { propertyName: 'n', operator: 'NOT_IN', values: [String(v)] });
      return eq !== neq && has !== hasNot && inn === eq && notIn === !inn;
    }));
  });

  test('BETWEEN equals GTE low and LTE high, for ms and ISO date values alike', () => {
    const ms = fc.integer({ min: 1_500_000_000_000, max: 1_800_000_000_000 });
    fc.assert(fc.property(ms, ms, ms, fc.boolean(), (x, a, b, iso) => {
      const stored = new Date(x).toISOString();
      const fmt = (n: number) => (iso ? new Date(n).toISOString() : String(n));
      const between = matchesFilter(stored, dateDef, { propertyName: 'd', operator: 'BETWEEN', value: fmt(a), highValue: fmt(b) });
      const gte = matchesFilter(stored, dateDef, { propertyName: 'd', operator: 'GTE', value: fmt(a) });
      const lte = matchesFilter(stored, dateDef, { propertyName: 'd', operator: 'LTE', value: fmt(b) });
      const gt = matchesFilter(stored, dateDef, { propertyName: 'd', operator: 'GT', value: fmt(a) });
      return between === (gte && lte) && gt === x > a && gte === x >= a;
    }));
  });

  test('numbers compare numerically, not as text', () => {
    assert.equal(matchesFilter('10', numberDef, { propertyName: 'n', operator: 'GT', value: '9' }), true);
    assert.equal(matchesFilter('10', textDef, { propertyName: 't', operator: 'GT', value: '9' }), false);
  });

  test('text EQ and CONTAINS_TOKEN are case-insensitive; * is a wildcard', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/), (w1, w2) => {
      const stored = `${w1.toUpperCase()} ${w2}`;
      return matchesFilter(stored, textDef, { propertyName: 't', operator: 'CONTAINS_TOKEN', value: w2.toUpperCase() })
        && matchesFilter(stored, textDef, { propertyName: 't', operator: 'CONTAINS_TOKEN', value: `${w1.slice(0, 1)}*` })
        && matchesFilter(stored, textDef, { propertyName: 't', operator: 'EQ', value: stored.toLowerCase() });
    }));
    assert.equal(matchesFilter('ada@hubspot.com', textDef, { propertyName: 't', operator: 'CONTAINS_TOKEN', value: '*@hubspot.com' }), true);
    assert.equal(matchesFilter('ada@example.com', textDef, { propertyName: 't', operator: 'NOT_CONTAINS_TOKEN', value: '*@hubspot.com' }), true);
  });
});

describe('search over HTTP', async () => {
  const fake = await startHubSpot({ seed: { generate: { contacts: 10_050 } }, knobs: { searchLimit: 1_000 } });
  after(() => fake.close());
  const post = (body: unknown, type = 'contacts') => fetch(`${fake.url}/crm/v3/objects/${type}/search`, {
    method: 'POST', headers: { authorization: `Bearer ${fake.credentials.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  test('pages of 200 stop at 10,000 results; paging past that is a 400', async () => {
    const last = await post({ limit: 200, after: '9800' });
    assert.equal(last.status, 200);
    const body = await last.json() as { total: number; results: unknown[]; paging?: unknown };
    assert.equal(body.total, 10_050);
    assert.equal(body.results.length, 200);
    assert.equal(body.paging, undefined, 'no next page past the cap');
    const past = await post({ limit: 10, after: '10000' });
    assert.equal(past.status, 400);
    assert.equal((await past.json() as { category: string }).category, 'VALIDATION_ERROR');
  });

  test('limit over 200, too many filters, a second sort and an oversized body are 400s', async () => {
    const filters = (n: number) => Array.from({ length: n }, () => ({ propertyName: 'email', operator: 'HAS_PROPERTY' }));
    const bad = [
      { limit: 201 },
      { filterGroups: [{ filters: filters(7) }] },
      { filterGroups: [1, 2, 3, 4, 5, 6].map(() => ({ filters: filters(1) })) },
      { sorts: [{ propertyName: 'email', direction: 'ASCENDING' }, { propertyName: 'firstname', direction: 'ASCENDING' }] },
      { query: 'x'.repeat(3_001) },
      { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: 'x' }] }] },
    ];
    for (const b of bad) assert.equal((await post(b)).status, 400, JSON.stringify(b).slice(0, 80));
  });

  test('OR of groups, AND inside a group, sorted descending', async () => {
    const res = await post({
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'EQ', value: 'nobody@nowhere' }] },
        { filters: [{ propertyName: 'hs_object_id', operator: 'LTE', value: '1005' }, { propertyName: 'hs_object_id', operator: 'GTE', value: '1002' }] },
      ],
      sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }],
      properties: ['email'],
    });
    const body = await res.json() as { results: { id: string; properties: Record<string, string> }[] };
    assert.deepEqual(body.results.map((r) => r.id), ['1005', '1004', '1003', '1002']);
    assert.ok(body.results.every((r) => r.properties.email && r.properties.lastmodifieddate));
  });

  test('archived records never appear and fresh writes wait for searchIndexDelayMs', async () => {
    await fetch(`${fake.url}/crm/v3/objects/contacts/1002`, { method: 'DELETE', headers: { authorization: `Bearer ${fake.credentials.accessToken}` } });
    const res = await post({ filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: ['1002', '1003'] }] }] });
    assert.deepEqual((await res.json() as { results: { id: string }[] }).results.map((r) => r.id), ['1003']);

    fake.ctx.knobs.searchIndexDelayMs = 60_000;
    const created = await fetch(`${fake.url}/crm/v3/objects/contacts`, {
      method: 'POST', headers: { authorization: `Bearer ${fake.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { email: 'late@example.org' } }),
    });
    assert.equal(created.status, 201);
    const hidden = await post({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'late@example.org' }] }] });
    assert.equal((await hidden.json() as { total: number }).total, 0);
    fake.ctx.knobs.searchIndexDelayMs = 0;
    const shown = await post({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'late@example.org' }] }] });
    assert.equal((await shown.json() as { total: number }).total, 1);
  });
});
