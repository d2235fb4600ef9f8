import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import jsforce from 'jsforce';
import { startSalesforce } from './index.ts';
import { parseSoql } from './soql.ts';

type Fake = Awaited<ReturnType<typeof startSalesforce>>;

describe('Salesforce SOQL query and queryMore (jsforce)', () => {
  let fake: Fake;
  let conn: InstanceType<typeof jsforce.Connection>;
  const auth = () => ({ authorization: `Bearer ${fake.credentials.accessToken}` });
  before(async () => {
    fake = await startSalesforce({ seed: { generate: { Account: 20, Lead: 4500 }, records: { Foo__c: [
      { Name: 'alpha', Amount__c: 5, Active__c: true, CreatedDate: '2023-06-01T00:00:00Z' },
      { Name: 'beta', Amount__c: 15, Active__c: false, Bar__c: "O'Brien", CreatedDate: '2023-07-01T00:00:00Z' },
      { Name: 'gamma', Amount__c: 25, Active__c: true, CreatedDate: '2024-02-01T00:00:00Z' },
    ] } } });
    conn = new jsforce.Connection({ instanceUrl: fake.url, accessToken: fake.credentials.accessToken, version: '60.0' });
  });
  after(async () => fake.close());

  test('pages of 2000 with nextRecordsUrl, done and totalSize; queryMore walks the locator', async () => {
    const raw = await fetch(`${fake.url}/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id, Email FROM Lead')}`, { headers: auth() });
    const first = await raw.json() as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] };
    assert.equal(first.totalSize, 4500);
    assert.equal(first.done, false);
    assert.equal(first.records.length, 2000);
    assert.match(first.nextRecordsUrl, /^\/services\/data\/v60\.0\/query\/01g\w+-2000$/);
    const second = await conn.queryMore(first.nextRecordsUrl);
    assert.equal(second.records.length, 2000);
    const third = await conn.queryMore(second.nextRecordsUrl!);
    assert.equal(third.records.length, 500);
    assert.equal(third.done, true);
    assert.equal(third.nextRecordsUrl, undefined);
    const bad = await fetch(`${fake.url}/services/data/v60.0/query/01gnope-2000`, { headers: auth() });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { errorCode: string }[])[0]?.errorCode, 'INVALID_QUERY_LOCATOR');
  });

  test('autoFetch follows every page; records are unique', async () => {
    const res = await conn.query('SELECT Id FROM Lead').autoFetch(true).maxFetch(10_000).run();
    assert.equal(res.records.length, 4500);
    assert.equal(new Set(res.records.map((r) => r.Id)).size, 4500);
  });

  test('Sforce-Query-Options batchSize lowers the page size within 200..2000', async () => {
    const page = await conn.request({ method: 'GET', url: `/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, headers: { 'Sforce-Query-Options': 'batchSize=500' } }) as { records: unknown[] };
    assert.equal(page.records.length, 500);
    const tiny = await conn.request({ method: 'GET', url: `/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, headers: { 'Sforce-Query-Options': 'batchSize=10' } }) as { records: unknown[] };
    assert.equal(tiny.records.length, 200);
  });

  test('WHERE operators, ORDER BY, LIMIT and OFFSET', async () => {
    const names = async (soql: string) => (await conn.query(soql)).records.map((r) => r.Name as string);
    assert.deepEqual(await names('SELECT Name FROM Foo__c WHERE Amount__c > 10 ORDER BY Amount__c DESC'), ['gamma', 'beta']);
    assert.deepEqual(await names('SELECT Name FROM Foo__c WHERE Amount__c >= 5 AND Amount__c <= 15 ORDER BY Name'), ['alpha', 'beta']);
    assert.deepEqual(await names("SELECT Name FROM Foo__c WHERE Name != 'beta' ORDER BY Name"), ['alpha', 'gamma']);
    assert.deepEqual(await names("SELECT Name FROM Foo__c WHERE Name IN ('ALPHA', 'gamma') ORDER BY Name ASC"), ['alpha', 'gamma']);
    assert.deepEqual(await names("SELECT Name FROM Foo__c WHERE Name NOT IN ('alpha') ORDER BY Name"), ['beta', 'gamma']);
    assert.deepEqual(await names("SELECT Name FROM Foo__c WHERE Name LIKE '%a' AND Active__c = true ORDER BY Name"), ['alpha', 'gamma']);
    assert.deepEqual(await names("SELECT Name FROM Foo__c WHERE Bar__c = 'O\\'Brien'"), ['beta']);
    assert.deepEqual(await names('SELECT Name FROM Foo__c WHERE Bar__c = null ORDER BY Name'), ['alpha', 'gamma']);
    assert.deepEqual(await names('SELECT Name FROM Foo__c WHERE (Amount__c < 10 OR Amount__c > 20) ORDER BY Name LIMIT 1 OFFSET 1'), ['gamma']);
    assert.deepEqual(await names('SELECT Name FROM Foo__c WHERE CreatedDate < 2024-01-01T00:00:00Z ORDER BY CreatedDate'), ['alpha', 'beta']);
    assert.equal((await conn.query('SELECT COUNT() FROM Lead')).totalSize, 4500);
  });

  test('SystemModstamp > datetime literal gives the changed-since set', async () => {
    const since = '2024-01-03T00:00:00Z';
    const res = await conn.query(`SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > ${since} ORDER BY SystemModstamp`).autoFetch(true).maxFetch(10_000).run();
    assert.ok(res.records.length > 0 && res.records.length < 4500);
    for (const r of res.records) assert.ok(Date.parse(String(r.SystemModstamp).replace('+0000', 'Z')) > Date.parse(since));
    const stamps = res.records.map((r) => String(r.SystemModstamp));
    assert.deepEqual([...stamps].sort(), stamps);
  });

  test('queryAll includes soft-deleted records; query does not', async () => {
    const victim = (await conn.query("SELECT Id FROM Foo__c WHERE Name = 'alpha'")).records[0]!.Id as string;
    await conn.sobject('Foo__c').destroy(victim);
    assert.equal((await conn.query('SELECT Id FROM Foo__c')).totalSize, 2);
    const all = await conn.query('SELECT Id, IsDeleted FROM Foo__c').scanAll(true).run();
    assert.equal(all.totalSize, 3);
    assert.equal(all.records.find((r) => r.Id === victim)?.IsDeleted, true);
  });

  test('MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE', async () => {
    const err = async (soql: string) => {
      const res = await fetch(`${fake.url}/services/data/v60.0/query?q=${encodeURIComponent(soql)}`, { headers: auth() });
      assert.equal(res.status, 400);
      return ((await res.json()) as { errorCode: string; message: string }[])[0]!;
    };
    assert.equal((await err('SELECT FROM Lead')).errorCode, 'MALFORMED_QUERY');
    assert.equal((await err('SELECT Id FROM Lead WHERE Name =')).errorCode, 'MALFORMED_QUERY');
    assert.equal((await err('SELECT Id FROM Lead LIMIT x')).errorCode, 'MALFORMED_QUERY');
    assert.equal((await err('SELECT Bogus FROM Lead')).errorCode, 'INVALID_FIELD');
    const quoted = await err("SELECT Id FROM Lead WHERE CreatedDate > '2024-01-01T00:00:00Z'");
    assert.equal(quoted.errorCode, 'INVALID_FIELD');
    assert.match(quoted.message, /must be of type dateTime and should not be enclosed in quotes/);
    assert.equal((await err('SELECT Id FROM Nope')).errorCode, 'INVALID_TYPE');
    await assert.rejects(async () => conn.query('SELECT Id FROM Lead ORDER').run(), (e: Error & { errorCode?: string }) => e.errorCode === 'MALFORMED_QUERY');
  });
});

describe('SOQL parser', () => {
  test('any quoted string literal round-trips through escaping', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const escaped = s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
      const q = parseSoql(`SELECT Id FROM Lead WHERE Name = '${escaped}'`);
      assert.ok(!('errorCode' in q));
      const where = q.where;
      assert.equal(where?.kind, 'cmp');
      if (where?.kind === 'cmp') assert.deepEqual(where.values[0], { kind: 'string', value: s });
    }));
  });
});
