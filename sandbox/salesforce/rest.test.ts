import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import jsforce from 'jsforce';
import { startSalesforce } from './index.ts';
import { caseSuffix, makeId, to18 } from './ids.ts';

type Fake = Awaited<ReturnType<typeof startSalesforce>>;

describe('Salesforce REST sObjects (jsforce)', () => {
  let fake: Fake;
  let conn: InstanceType<typeof jsforce.Connection>;
  before(async () => {
    fake = await startSalesforce();
    conn = new jsforce.Connection({ instanceUrl: fake.url, accessToken: fake.credentials.accessToken, version: '60.0' });
  });
  after(async () => fake.close());

  test('versions list and resources', async () => {
    const versions = await fetch(`${fake.url}/services/data/`).then((r) => r.json()) as { label: string; url: string; version: string }[];
    const v60 = versions.find((v) => v.version === '60.0');
    assert.deepEqual(v60, { label: "Spring '24", url: '/services/data/v60.0', version: '60.0' });
    assert.equal(versions.at(-1)?.version, '66.0');
    const res = await conn.request('/services/data/v60.0/') as Record<string, string>;
    assert.equal(res.query, '/services/data/v60.0/query');
    const missing = await fetch(`${fake.url}/services/data/v99.0/limits`, { headers: { authorization: `Bearer ${fake.credentials.accessToken}` } });
    assert.equal(missing.status, 404);
  });

  test('describe gives real field names and key prefixes', async () => {
    const expected: Record<string, string> = { Lead: '00Q', Account: '001', Contact: '003', Opportunity: '006' };
    for (const [type, prefix] of Object.entries(expected)) {
      const d = await conn.sobject(type).describe();
      assert.equal(d.keyPrefix, prefix);
      const names = d.fields.map((f) => f.name);
      for (const n of ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'IsDeleted']) assert.ok(names.includes(n), `${type}.${n}`);
    }
    const lead = await conn.sobject('Lead').describe();
    const status = lead.fields.find((f) => f.name === 'Status');
    assert.equal(status?.type, 'picklist');
    assert.ok(status?.picklistValues?.some((p) => p.value === 'Open - Not Contacted' && p.defaultValue));
    assert.equal((await conn.describeGlobal()).sobjects.some((s) => s.name === 'Foo__c' && s.custom), true);
  });

  test('create 201 {id, success, errors}, retrieve, update 204, destroy 204 for each object', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['Lead', { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical', Email: 'ada@example.com' }, '00Q'],
      ['Account', { Name: 'Acme' }, '001'],
      ['Contact', { LastName: 'Hopper', Email: 'grace@example.com' }, '003'],
      ['Opportunity', { Name: 'Big deal', StageName: 'Prospecting', CloseDate: '2025-06-30', Amount: 5000 }, '006'],
      ['Foo__c', { Name: 'foo', Bar__c: 'baz', Active__c: true }, 'a00'],
    ];
    for (const [type, values, prefix] of cases) {
      const raw = await fetch(`${fake.url}/services/data/v60.0/sobjects/${type}`, { method: 'POST', headers: { authorization: `Bearer ${fake.credentials.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(values) });
      assert.equal(raw.status, 201);
      const created = await raw.json() as { id: string; success: boolean; errors: unknown[] };
      assert.equal(created.success, true);
      assert.deepEqual(created.errors, []);
      assert.equal(created.id.length, 18);
      assert.ok(created.id.startsWith(prefix));
      assert.equal(to18(created.id.slice(0, 15)), created.id);

      const rec = await conn.sobject(type).retrieve(created.id) as Record<string, unknown>;
      assert.equal(rec.Id, created.id);
      assert.equal((rec.attributes as { type: string }).type, type);
      assert.match(String(rec.CreatedDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
      assert.equal(rec.IsDeleted, false);

      const patch = await fetch(`${fake.url}/services/data/v60.0/sobjects/${type}/${created.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${fake.credentials.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ Phone: undefined, ...(type === 'Opportunity' ? { StageName: 'Closed Won' } : { OwnerId: rec.OwnerId }) }) });
      assert.equal(patch.status, 204);
      const after = await conn.sobject(type).retrieve(created.id) as Record<string, unknown>;
      assert.ok(String(after.SystemModstamp) > String(rec.SystemModstamp));
      if (type === 'Opportunity') assert.equal(after.IsWon, true);

      const del = await fetch(`${fake.url}/services/data/v60.0/sobjects/${type}/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${fake.credentials.accessToken}` } });
      assert.equal(del.status, 204);
      await assert.rejects(conn.sobject(type).retrieve(created.id), (e: Error & { errorCode?: string }) => e.errorCode === 'NOT_FOUND');
    }
  });

  test('jsforce update, destroy and ?fields= retrieve', async () => {
    const c = await conn.sobject('Lead').create({ LastName: 'Turing', Company: 'Bletchley' });
    const u = await conn.sobject('Lead').update({ Id: c.id!, Status: 'Working - Contacted', FirstName: 'Alan' });
    assert.equal(u.success, true);
    const r = await conn.sobject('Lead').retrieve(c.id!, { fields: ['Name', 'Status'] }) as Record<string, unknown>;
    assert.deepEqual(Object.keys(r), ['attributes', 'Name', 'Status']);
    assert.equal(r.Name, 'Alan Turing');
    const d = await conn.sobject('Lead').destroy(c.id!);
    assert.deepEqual(d, { id: c.id, success: true, errors: [] });
  });

  test('errors are arrays of {message, errorCode} with Salesforce codes', async () => {
    const post = (type: string, body: unknown) => fetch(`${fake.url}/services/data/v60.0/sobjects/${type}`, { method: 'POST', headers: { authorization: `Bearer ${fake.credentials.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let res = await post('Lead', { Company: 'x' });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), [{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }]);
    res = await post('Lead', { LastName: 'x', Company: 'y', Nope__c: 1 });
    assert.equal(((await res.json()) as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD');
    res = await post('Lead', { LastName: 'x', Company: 'y', CreatedDate: '2020-01-01T00:00:00Z' });
    assert.equal(((await res.json()) as { errorCode: string }[])[0]?.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    res = await post('Lead', { LastName: 'x', Company: 'y', Email: 'not-an-email' });
    assert.equal(((await res.json()) as { errorCode: string }[])[0]?.errorCode, 'INVALID_EMAIL_ADDRESS');
    res = await post('Nope__c', {});
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    await assert.rejects(conn.sobject('Lead').create({ Company: 'x' }), (e: Error & { errorCode?: string }) => e.errorCode === 'REQUIRED_FIELD_MISSING');
  });

  test('upsert by external id: 201 created, then 200 created=false', async () => {
    const first = await conn.sobject('Account').upsert({ External_Id__c: 'ext-1', Name: 'Upserted' }, 'External_Id__c') as unknown as { created: boolean; id: string };
    assert.equal(first.created, true);
    const second = await conn.sobject('Account').upsert({ External_Id__c: 'ext-1', Name: 'Upserted 2' }, 'External_Id__c') as unknown as { created: boolean; id: string };
    assert.equal(second.created, false);
    assert.equal(second.id, first.id);
    assert.equal((await conn.sobject('Account').retrieve(first.id) as Record<string, unknown>).Name, 'Upserted 2');
  });

  test('/limits and Sforce-Limit-Info report the same usage; jsforce reads the header', async () => {
    await conn.query('SELECT Id FROM Account');
    const used = conn.limitInfo.apiUsage?.used ?? 0;
    assert.equal(conn.limitInfo.apiUsage?.limit, 100000);
    const limits = await conn.request('/services/data/v60.0/limits') as { DailyApiRequests: { Max: number; Remaining: number } };
    assert.equal(limits.DailyApiRequests.Max, 100000);
    assert.equal(limits.DailyApiRequests.Remaining, 100000 - (used + 1));
    assert.equal(conn.limitInfo.apiUsage?.used, used + 1);
  });

  test('the replication API lists updated and deleted ids in a window', async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    const a = await conn.sobject('Contact').create({ LastName: 'Rep' });
    const b = await conn.sobject('Contact').create({ LastName: 'Gone' });
    await conn.sobject('Contact').destroy(b.id!);
    const end = new Date(Date.now() + 60_000).toISOString();
    const updated = await conn.request(`/services/data/v60.0/sobjects/Contact/updated/?start=${start}&end=${end}`) as { ids: string[] };
    assert.ok(updated.ids.includes(a.id!));
    assert.ok(!updated.ids.includes(b.id!));
    const deleted = await conn.request(`/services/data/v60.0/sobjects/Contact/deleted/?start=${start}&end=${end}`) as { deletedRecords: { id: string }[] };
    const deletedIds = deleted.deletedRecords.map((d) => d.id);
    assert.ok(deletedIds.includes(b.id!));
    assert.ok(!deletedIds.includes(a.id!));
  });
});

describe('record ids', () => {
  test('the 18-char suffix encodes the case of the 15-char id and round-trips', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9]{15}$/), (id15) => {
      const full = to18(id15)!;
      assert.equal(full.length, 18);
      assert.equal(to18(full), full);
      assert.equal(to18(full.slice(0, 15) + full.slice(15).toLowerCase()), full);
      assert.equal(caseSuffix(id15.toLowerCase()), 'AAA');
    }));
    assert.equal(to18('001000000000001'), '001000000000001AAA');
    assert.equal(makeId('001', 1).slice(0, 3), '001');
  });
});
