import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { startSalesforce } from './index.ts';

type Fake = Awaited<ReturnType<typeof startSalesforce>>;

describe('Salesforce API limit and fault knobs', () => {
  let fake: Fake;
  let conn: InstanceType<typeof jsforce.Connection>;
  const url = () => `${fake.url}/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`;
  const auth = () => ({ authorization: `Bearer ${fake.credentials.accessToken}` });
  const setFaults = (f: Record<string, number>) => fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
  before(async () => {
    fake = await startSalesforce({ seed: { generate: { Account: 5 } }, knobs: { dailyApiLimit: 5, apiWindowMs: 400 } });
    conn = new jsforce.Connection({ instanceUrl: fake.url, accessToken: fake.credentials.accessToken, version: '60.0' });
  });
  after(async () => fake.close());

  test('a burst past the daily limit gets 403 REQUEST_LIMIT_EXCEEDED, then the rolling window recovers', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i += 1) {
      last = await fetch(url(), { headers: auth() });
      statuses.push(last.status);
      if (i < 5) assert.equal(last.headers.get('sforce-limit-info'), `api-usage=${i + 1}/5`);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 403, 403]);
    assert.deepEqual(await last!.json(), [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    await assert.rejects(async () => conn.query('SELECT Id FROM Account').run(), (e: Error & { errorCode?: string }) => e.errorCode === 'REQUEST_LIMIT_EXCEEDED');
    let recovered = 0;
    while (recovered !== 200) {
      await new Promise((r) => setTimeout(r, 50));
      recovered = (await fetch(url(), { headers: auth() })).status;
    }
    assert.equal(recovered, 200);
    await fetch(`${fake.url}/_sandbox/salesforce/api-usage/reset`, { method: 'POST' });
  });

  test('errorRate=1 answers the configured 5xx', async () => {
    await setFaults({ errorRate: 1, errorStatus: 503 });
    assert.equal((await fetch(url(), { headers: auth() })).status, 503);
    await setFaults({});
    assert.equal((await fetch(url(), { headers: auth() })).status, 200);
  });

  test('burst429 answers the provider\'s own limit response N times', async () => {
    await setFaults({ burst429: 2 });
    const a = await fetch(url(), { headers: auth() });
    const b = await fetch(url(), { headers: auth() });
    const c = await fetch(url(), { headers: auth() });
    assert.deepEqual([a.status, b.status, c.status], [403, 403, 200]);
    assert.equal(((await a.json()) as { errorCode: string }[])[0]?.errorCode, 'REQUEST_LIMIT_EXCEEDED');
    await fetch(`${fake.url}/_sandbox/salesforce/api-usage/reset`, { method: 'POST' });
  });

  test('latencyMs holds the API answer back while an unfaulted control call overtakes it', async () => {
    await setFaults({ latencyMs: 200 });
    const order: string[] = [];
    const slow = fetch(url(), { headers: auth() }).then((r) => { order.push('api'); return r.status; });
    await fetch(`${fake.url}/_sandbox/state`).then(() => order.push('control'));
    assert.equal(await slow, 200);
    await setFaults({});
    assert.deepEqual(order, ['control', 'api']);
    await fetch(`${fake.url}/_sandbox/salesforce/api-usage/reset`, { method: 'POST' });
  });

  test('dropRate=1 drops the connection', async () => {
    await setFaults({ dropRate: 1 });
    await assert.rejects(fetch(url(), { headers: auth() }));
    await setFaults({});
  });

  test('malformedPages breaks one query page; jsforce fails to parse it, the next page is fine', async () => {
    await setFaults({ malformedPages: 1 });
    await assert.rejects(async () => conn.query('SELECT Id FROM Account').run());
    const ok = await conn.query('SELECT Id FROM Account');
    assert.equal(ok.totalSize, 5);
    await fetch(`${fake.url}/_sandbox/salesforce/api-usage/reset`, { method: 'POST' });
  });
});
