import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileMapping, type CompiledMapping } from '../compile.ts';
import { parseSpecText } from '../spec-text.ts';

/** The reference use case: a Monday.com Leads item becomes a HubSpot contact, and back. */
const text = readFileSync(new URL('./monday-hubspot.yaml', import.meta.url), 'utf8');

function load(): CompiledMapping {
  const parsed = parseSpecText(text);
  if (!parsed.ok) assert.fail(JSON.stringify(parsed.errors));
  const r = compileMapping(parsed.value);
  if (!r.ok) assert.fail(JSON.stringify(r.errors));
  return r.mapper;
}

// As Monday's API (and the sandbox fake) returns an item: `text` is display text, `value` a JSON string.
const column = (id: string, type: string, text: string, value: unknown) => ({ id, type, text, value: value === null ? null : JSON.stringify(value) });
const item = (over: Partial<Record<'name' | 'email' | 'phone' | 'status' | 'company', string>> & { owner?: number | null } = {}) => ({
  id: '1234567890',
  name: over.name ?? 'Ada King Lovelace',
  column_values: [
    column('email', 'email', over.email ?? ' Ada.Lovelace@Example.COM ', { email: over.email ?? 'Ada.Lovelace@Example.COM', text: 'Ada' }),
    column('phone', 'phone', over.phone ?? '(212) 555-0100', { phone: over.phone ?? '2125550100', countryShortName: 'US' }),
    column('status', 'status', over.status ?? 'Qualified', { index: 1 }),
    column('company', 'text', over.company ?? ' Acme Corp ', over.company ?? 'Acme Corp'),
    column('owner', 'people', 'Grace Hopper', over.owner === null ? null : { personsAndTeams: [{ id: over.owner ?? 40000002, kind: 'person' }] }),
  ],
});

test('the YAML spec compiles, with a declared reverse', () => {
  const m = load();
  assert.equal(m.name, 'monday-leads-to-hubspot-contacts');
  assert.equal(m.reverseFrom, 'declared');
});

test('forward: a Leads item becomes HubSpot contact properties', () => {
  assert.deepEqual(load().forward(item()), {
    ok: true,
    record: {
      properties: {
        firstname: 'Ada',
        lastname: 'King Lovelace',
        email: 'ada.lovelace@example.com',
        phone: '+12125550100',
        lifecyclestage: 'salesqualifiedlead',
        company: 'Acme Corp',
        hubspot_owner_id: '71000002',
      },
    },
  });
});

test('forward: statuses map to lifecycle stages, unknown ones to lead; no owner means no owner property', () => {
  const m = load();
  const stage = (status: string) => {
    const r = m.forward(item({ status }));
    return r.ok ? (r.record.properties as Record<string, unknown>).lifecyclestage : r.errors;
  };
  assert.deepEqual(['New', 'Contacted', 'Qualified', 'Lost', 'Someday', ''].map(stage), ['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'other', 'lead', 'lead']);
  const r = m.forward(item({ owner: null, name: 'Cher' }));
  assert.ok(r.ok);
  assert.deepEqual(r.ok && r.record.properties, { firstname: 'Cher', email: 'ada.lovelace@example.com', phone: '+12125550100', lifecyclestage: 'salesqualifiedlead', company: 'Acme Corp' });
});

test('forward: bad data is reported per HubSpot property', () => {
  const r = load().forward(item({ email: 'not-an-email', phone: 'call me', owner: 123 }));
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors.map((e) => [e.field, e.code]), [
    ['properties.email', 'invalid_email'],
    ['properties.phone', 'invalid_phone'],
    ['properties.hubspot_owner_id', 'lookup_miss'],
  ]);
  const nameless = load().forward({ ...item(), name: '   ' });
  assert.deepEqual(!nameless.ok && nameless.errors.map((e) => [e.field, e.code]), [['properties.firstname', 'required']]);
});

test('reverse: a HubSpot contact becomes Monday column values for change_multiple_column_values', () => {
  const contact = { id: '501', properties: { firstname: 'Grace', lastname: 'Hopper', email: 'GRACE@navy.mil', phone: '+442079460958', lifecyclestage: 'marketingqualifiedlead', company: 'Navy', hubspot_owner_id: '71000005' } };
  assert.deepEqual(load().reverse!(contact), {
    ok: true,
    record: {
      name: 'Grace Hopper',
      column_values: {
        email: { email: 'grace@navy.mil', text: 'grace@navy.mil' },
        phone: { phone: '+442079460958', countryShortName: 'GB' },
        status: { label: 'Contacted' },
        company: 'Navy',
        owner: { personsAndTeams: [{ id: 40000005, kind: 'person' }] },
      },
    },
  });
});

test('round trip: item → contact → Monday values keeps every mapped field', () => {
  const m = load();
  for (const status of ['New', 'Contacted', 'Qualified', 'Lost']) {
    const there = m.forward(item({ status }));
    assert.ok(there.ok);
    const back = m.reverse!({ id: '1', properties: there.ok ? there.record.properties : {} });
    assert.ok(back.ok);
    const cv = (back.ok ? back.record.column_values : {}) as Record<string, any>;
    assert.equal(back.ok && back.record.name, 'Ada King Lovelace');
    assert.equal(cv.email.email, 'ada.lovelace@example.com');
    assert.deepEqual(cv.phone, { phone: '+12125550100', countryShortName: 'US' });
    assert.deepEqual(cv.status, { label: status });
    assert.equal(cv.company, 'Acme Corp');
    assert.deepEqual(cv.owner, { personsAndTeams: [{ id: 40000002, kind: 'person' }] });
  }
});
