import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startHubSpot } from './index.ts';

/** Each fault knob, set through the control API, does what it says to a real SDK call. */
const fake = await startHubSpot({ seed: { generate: { contacts: 3 } } });
const hs = new Client({ accessToken: fake.credentials.accessToken, basePath: fake.url });
after(() => fake.close());

const setFaults = async (faults: Record<string, number>) => {
  const res = await fetch(`${fake.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  assert.equal(res.status, 200);
};

async function failure(p: Promise<unknown>): Promise<{ code?: number; body?: Record<string, unknown>; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: number; body?: Record<string, unknown>; message: string };
  }
  assert.fail('expected a failure');
}

describe('HubSpot fault knobs', () => {
  test('errorRate 1 answers every call with errorStatus', async () => {
    await setFaults({ errorRate: 1, errorStatus: 502 });
    const err = await failure(hs.crm.contacts.basicApi.getPage(10));
    assert.equal(err.code, 502);
    await setFaults({});
    assert.equal((await hs.crm.contacts.basicApi.getPage(10)).results.length, 3);
  });

  test('burst429 answers the next N calls with the HubSpot 429 and then stops', async () => {
    await setFaults({ burst429: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${fake.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${fake.credentials.accessToken}` } });
      statuses.push(res.status);
      if (res.status === 429) assert.equal((await res.json() as { policyName: string }).policyName, 'TEN_SECONDLY_ROLLING');
    }
    assert.deepEqual(statuses, [429, 429, 200]);
  });

  test('latencyMs delays the answer', async () => {
    await setFaults({ latencyMs: 120 });
    const started = process.hrtime.bigint();
    await hs.crm.contacts.basicApi.getPage(1);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    await setFaults({});
    // A lower bound only: the fault must have been applied; no upper wall-clock threshold.
    assert.ok(elapsedMs >= 100, `took ${elapsedMs} ms`);
  });

  test('dropRate 1 drops the connection', async () => {
    await setFaults({ dropRate: 1 });
    const err = await failure(fetch(`${fake.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${fake.credentials.accessToken}` } }));
    assert.match(err.message, /fetch failed/);
    await setFaults({});
  });

  test('malformedPages breaks the next list page and only that one', async () => {
    await setFaults({ malformedPages: 1 });
    const err = await failure(hs.crm.contacts.basicApi.getPage(10));
    assert.ok(!('code' in err) || err.code === 200, 'a parse failure, not an HTTP error');
    assert.match(err.message, /JSON|Unexpected|Unterminated/i);
    assert.equal((await hs.crm.contacts.basicApi.getPage(10)).results.length, 3);
  });
});
