import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { startSalesforce } from './index.ts';

type Fake = Awaited<ReturnType<typeof startSalesforce>>;
type Sub = { body: unknown; httpStatusCode: number; referenceId: string; httpHeaders: Record<string, string> };

describe('Salesforce composite and sObject Collections', () => {
  let fake: Fake;
  let conn: InstanceType<typeof jsforce.Connection>;
  before(async () => {
    fake = await startSalesforce();
    conn = new jsforce.Connection({ instanceUrl: fake.url, accessToken: fake.credentials.accessToken, version: '60.0' });
  });
  after(async () => fake.close());

  const composite = (body: unknown) => conn.request({ method: 'POST', url: '/services/data/v60.0/composite', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) as Promise<{ compositeResponse: Sub[] }>;

  test('subrequests run in order and @{ref.id} feeds later ones; the call counts once', async () => {
    const before = conn.limitInfo.apiUsage?.used;
    await conn.request('/services/data/v60.0/limits');
    const start = conn.limitInfo.apiUsage?.used ?? 0;
    assert.ok(before === undefined || start > before);
    const res = await composite({ allOrNone: true, compositeRequest: [
      { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Composite Co' } },
      { method: 'POST', url: '/services/data/v60.0/sobjects/Contact', referenceId: 'ct', body: { LastName: 'Ref', AccountId: '@{acct.id}' } },
      { method: 'GET', url: '/services/data/v60.0/sobjects/Contact/@{ct.id}?fields=AccountId,LastName', referenceId: 'read' },
      { method: 'GET', url: "/services/data/v60.0/query?q=SELECT+Id+FROM+Contact+WHERE+LastName+=+'Ref'", referenceId: 'q' },
    ] });
    const [acct, ct, read, q] = res.compositeResponse;
    assert.equal(acct?.httpStatusCode, 201);
    assert.match(acct?.httpHeaders.Location ?? '', /^\/services\/data\/v60\.0\/sobjects\/Account\/001/);
    assert.equal(ct?.httpStatusCode, 201);
    assert.equal((read?.body as { AccountId: string }).AccountId, (acct?.body as { id: string }).id);
    assert.equal((q?.body as { totalSize: number }).totalSize, 1);
    assert.equal(conn.limitInfo.apiUsage?.used, start + 1);
  });

  test('allOrNone rolls back earlier writes and marks them PROCESSING_HALTED', async () => {
    const res = await composite({ allOrNone: true, compositeRequest: [
      { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'ok', body: { Name: 'Rolled Back Co' } },
      { method: 'POST', url: '/services/data/v60.0/sobjects/Lead', referenceId: 'bad', body: { Company: 'no last name' } },
      { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'never', body: { Name: 'Never' } },
    ] });
    assert.deepEqual(res.compositeResponse.map((s) => s.httpStatusCode), [400, 400, 400]);
    assert.equal((res.compositeResponse[0]?.body as { errorCode: string }[])[0]?.errorCode, 'PROCESSING_HALTED');
    assert.equal((res.compositeResponse[1]?.body as { errorCode: string }[])[0]?.errorCode, 'REQUIRED_FIELD_MISSING');
    assert.equal((await conn.query("SELECT Id FROM Account WHERE Name = 'Rolled Back Co'")).totalSize, 0);
  });

  test('without allOrNone the good subrequests stay', async () => {
    const res = await composite({ allOrNone: false, compositeRequest: [
      { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'kept', body: { Name: 'Kept Co' } },
      { method: 'DELETE', url: '/services/data/v60.0/sobjects/Account/001000000000000AAA', referenceId: 'missing' },
    ] });
    assert.deepEqual(res.compositeResponse.map((s) => s.httpStatusCode), [201, 404]);
    assert.equal((await conn.query("SELECT Id FROM Account WHERE Name = 'Kept Co'")).totalSize, 1);
  });

  test('jsforce array create/retrieve/update/destroy go through /composite/sobjects', async () => {
    const created = await conn.sobject('Lead').create([
      { LastName: 'A', Company: 'X' }, { LastName: 'B', Company: 'X' }, { LastName: 'C', Company: 'X' },
    ]);
    assert.equal(created.length, 3);
    assert.ok(created.every((r) => r.success && r.id?.startsWith('00Q')));
    const ids = created.map((r) => r.id!);
    const fetched = await conn.sobject('Lead').retrieve(ids) as Record<string, unknown>[];
    assert.deepEqual(fetched.map((r) => r.LastName), ['A', 'B', 'C']);
    const updated = await conn.sobject('Lead').update(ids.map((Id) => ({ Id, Status: 'Working - Contacted' })));
    assert.ok(updated.every((r) => r.success));
    const statuses = (await conn.query(`SELECT Status FROM Lead WHERE Id IN ('${ids.join("','")}')`)).records.map((r) => r.Status);
    assert.deepEqual(statuses, ['Working - Contacted', 'Working - Contacted', 'Working - Contacted']);
    const destroyed = await conn.sobject('Lead').destroy(ids);
    assert.ok(destroyed.every((r) => r.success));
    assert.equal(log(fake, '/services/data/v60.0/composite/sobjects'), 4);
  });

  test('collections allOrNone: one bad record rolls back the rest with ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const res = await conn.sobject('Account').create([{ Name: 'Good 1' }, { Industry: 'Retail' }], { allOrNone: true }) as unknown as { success: boolean; errors: { statusCode: string }[] }[];
    assert.equal(res[0]?.success, false);
    assert.equal(res[0]?.errors[0]?.statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
    assert.equal(res[1]?.errors[0]?.statusCode, 'REQUIRED_FIELD_MISSING');
    assert.equal((await conn.query("SELECT Id FROM Account WHERE Name = 'Good 1'")).totalSize, 0);
    const partial = await conn.sobject('Account').create([{ Name: 'Good 2' }, { Industry: 'Retail' }]);
    assert.deepEqual(partial.map((r) => r.success), [true, false]);
  });

  test('more than 200 records is EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `n${i}` }));
    const res = await fetch(`${fake.url}/services/data/v60.0/composite/sobjects`, { method: 'POST', headers: { authorization: `Bearer ${fake.credentials.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ records }) });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { errorCode: string }[])[0]?.errorCode, 'EXCEEDED_ID_LIMIT');
  });
});

function log(fake: Fake, pathPrefix: string): number {
  return fake.ctx.log.count({ pathPrefix });
}
