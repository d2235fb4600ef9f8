import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startHubSpot } from './index.ts';

/**
 * Conformance: the official @hubspot/api-client against the fake with only
 * `basePath` changed. No SDK call is patched.
 */
const fake = await startHubSpot({ seed: { generate: { contacts: 250, companies: 12, deals: 30 } } });
const client = (token = fake.credentials.accessToken) => new Client({ accessToken: token, basePath: fake.url });
const hs = client();

interface SdkError {
  code: number;
  body: { status: string; category?: string; message: string; policyName?: string; errorType?: string };
  headers: Record<string, string>;
}

async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Error && 'code' in err && 'body' in err, `expected the SDK's ApiException, got ${String(err)}`);
    assert.equal(err.constructor.name, 'ApiException');
    return err as unknown as SdkError;
  }
  assert.fail('expected the call to fail');
}

after(() => fake.close());

describe('HubSpot SDK conformance', () => {
  test('basicApi.getPage pages with the after cursor until no paging.next', async () => {
    const seen = new Set<string>();
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hs.crm.contacts.basicApi.getPage(100, after, ['email', 'firstname']);
      assert.ok(page.results.length <= 100);
      for (const r of page.results) {
        assert.equal(r.properties.hs_object_id, r.id);
        assert.ok(r.properties.email?.endsWith('@example.com'));
        assert.ok(r.createdAt instanceof Date && r.updatedAt instanceof Date);
        seen.add(r.id);
      }
      after = page.paging?.next?.after;
      pages += 1;
    } while (after);
    assert.equal(pages, 3);
    assert.equal(seen.size, 250);
  });

  test('getAll walks every page of companies', async () => {
    const all = await hs.crm.companies.getAll(5);
    assert.equal(all.length, 12);
    assert.ok(all.every((c) => typeof c.properties.name === 'string' && c.properties.hs_lastmodifieddate));
  });

  test('create, getById, update and archive maintain timestamps and hs_object_id', async () => {
    const created = await hs.crm.contacts.basicApi.create({ properties: { email: 'sdk@example.org', firstname: 'Sdk' }, associations: [] });
    assert.equal(created.properties.hs_object_id, created.id);
    assert.equal(created.properties.createdate, created.createdAt.toISOString());
    assert.equal(created.properties.lastmodifieddate, created.updatedAt.toISOString());

    const fetched = await hs.crm.contacts.basicApi.getById(created.id, ['email', 'firstname', 'phone']);
    assert.equal(fetched.properties.firstname, 'Sdk');
    assert.equal(fetched.properties.phone, null);

    const byEmail = await hs.crm.contacts.basicApi.getById('sdk@example.org', ['firstname'], undefined, undefined, false, 'email');
    assert.equal(byEmail.id, created.id);

    await new Promise((r) => setTimeout(r, 5));
    const updated = await hs.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'Changed' } });
    assert.equal(updated.properties.firstname, 'Changed');
    assert.ok(updated.updatedAt > created.updatedAt);
    assert.equal(updated.properties.lastmodifieddate, updated.updatedAt.toISOString());

    await hs.crm.contacts.basicApi.archive(created.id);
    const gone = await sdkError(hs.crm.contacts.basicApi.getById(created.id));
    assert.equal(gone.code, 404);
    assert.equal(gone.body.category, 'OBJECT_NOT_FOUND');
    const archived = await hs.crm.contacts.basicApi.getById(created.id, undefined, undefined, undefined, true);
    assert.equal(archived.archived, true);
    const archivedPage = await hs.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    assert.ok(archivedPage.results.some((r) => r.id === created.id));
  });

  test('a duplicate contact email is a 409 CONFLICT naming the existing id', async () => {
    const first = await hs.crm.contacts.basicApi.create({ properties: { email: 'dup@example.org' }, associations: [] });
    const err = await sdkError(hs.crm.contacts.basicApi.create({ properties: { email: 'DUP@example.org' }, associations: [] }));
    assert.equal(err.code, 409);
    assert.equal(err.body.category, 'CONFLICT');
    assert.match(err.body.message, new RegExp(`Existing ID: ${first.id}$`));
  });

  test('creating with an unknown property fails with PROPERTY_DOESNT_EXIST until the property is defined', async () => {
    const err = await sdkError(hs.crm.deals.basicApi.create({ properties: { dealname: 'x', sandbox_score: '7' }, associations: [] }));
    assert.equal(err.code, 400);
    assert.equal(err.body.category, 'VALIDATION_ERROR');
    assert.match(err.body.message, /^Property values were not valid: /);
    const details = JSON.parse(err.body.message.replace('Property values were not valid: ', '')) as { error: string; name: string }[];
    assert.deepEqual(details.map((d) => [d.error, d.name]), [['PROPERTY_DOESNT_EXIST', 'sandbox_score']]);

    const prop = await hs.crm.properties.coreApi.create('deals', {
      name: 'sandbox_score', label: 'Sandbox score', type: 'number' as never, fieldType: 'number' as never, groupName: 'dealinformation',
    });
    assert.equal(prop.name, 'sandbox_score');
    const all = await hs.crm.properties.coreApi.getAll('deals');
    assert.ok(all.results.some((p) => p.name === 'sandbox_score'));
    const deal = await hs.crm.deals.basicApi.create({ properties: { dealname: 'x', sandbox_score: '7' }, associations: [] });
    assert.equal(deal.properties.sandbox_score, '7');
    assert.equal(deal.properties.hs_lastmodifieddate, deal.updatedAt.toISOString());
  });

  test('read-only properties cannot be written', async () => {
    const err = await sdkError(hs.crm.contacts.basicApi.create({ properties: { hs_object_id: '5' }, associations: [] }));
    assert.equal(err.code, 400);
    assert.match(err.body.message, /READ_ONLY_VALUE/);
  });

  test('batchApi create, read, update, upsert and archive', async () => {
    const inputs = Array.from({ length: 3 }, (_, i) => ({ properties: { email: `batch${i}@example.org`, firstname: `B${i}` }, associations: [] }));
    const created = await hs.crm.contacts.batchApi.create({ inputs });
    assert.equal(created.status, 'COMPLETE');
    assert.equal(created.results.length, 3);
    const ids = created.results.map((r) => r.id);

    const read = await hs.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['firstname'], propertiesWithHistory: [] });
    assert.deepEqual(read.results.map((r) => r.properties.firstname).sort(), ['B0', 'B1', 'B2']);

    const updated = await hs.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { lastname: 'Batch' } })) });
    assert.ok(updated.results.every((r) => r.properties.lastname === 'Batch'));

    const upserted = await hs.crm.contacts.batchApi.upsert({ inputs: [
      { id: 'batch0@example.org', idProperty: 'email', properties: { firstname: 'Upserted' } },
      { id: 'fresh@example.org', idProperty: 'email', properties: { firstname: 'Fresh' } },
    ] });
    const existing = upserted.results.find((r) => r.id === ids[0]);
    assert.equal(existing?._new, false);
    assert.equal(existing?.properties.firstname, 'Upserted');
    const inserted = upserted.results.find((r) => r.id !== ids[0]);
    assert.equal(inserted?._new, true);
    const fresh = await hs.crm.contacts.basicApi.getById('fresh@example.org', ['firstname'], undefined, undefined, false, 'email');
    assert.equal(fresh.id, inserted?.id);

    await hs.crm.contacts.batchApi.archive({ inputs: ids.map((id) => ({ id })) });
    const after = await hs.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [], propertiesWithHistory: [] });
    assert.equal(after.results.length, 0);
    assert.ok('errors' in after, 'a 207 with errors');
    assert.equal(after.numErrors, 1);
    assert.equal(after.errors?.[0]?.category, 'OBJECT_NOT_FOUND');
  });

  test('a batch of 101 inputs is a 400 in HubSpot error shape', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `over${i}@example.org` }, associations: [] }));
    const err = await sdkError(hs.crm.contacts.batchApi.create({ inputs }));
    assert.equal(err.code, 400);
    assert.equal(err.body.status, 'error');
    assert.equal(err.body.category, 'VALIDATION_ERROR');
  });

  test('searchApi.doSearch filters on lastmodifieddate and pages by offset', async () => {
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const fresh = await hs.crm.contacts.batchApi.create({ inputs: Array.from({ length: 7 }, (_, i) => ({ properties: { email: `since${i}@example.org` }, associations: [] })) });
    const filter = { propertyName: 'lastmodifieddate', operator: 'GT' as never, value: String(since) };
    const first = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [filter] }], sorts: ['lastmodifieddate'], properties: ['email'], limit: 5, after: '0' });
    assert.equal(first.total, 7);
    assert.equal(first.results.length, 5);
    assert.equal(first.paging?.next?.after, '5');
    const second = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [filter] }], sorts: [], properties: ['email'], limit: 5, after: '5' });
    assert.equal(second.results.length, 2);
    assert.equal(second.paging, undefined);
    const found = new Set([...first.results, ...second.results].map((r) => r.id));
    assert.deepEqual([...found].sort(), fresh.results.map((r) => r.id).sort());
  });

  test('v4 associations: createDefault, getPage, archive, and the v3 associations block', async () => {
    const company = await hs.crm.companies.basicApi.create({ properties: { name: 'Assoc Co' }, associations: [] });
    const contact = await hs.crm.contacts.basicApi.create({ properties: { email: 'assoc@example.org' }, associations: [] });
    const made = await hs.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', company.id);
    assert.equal(made.status, 'COMPLETE');
    const page = await hs.crm.associations.v4.basicApi.getPage('companies', company.id, 'contacts');
    assert.deepEqual(page.results.map((r) => String(r.toObjectId)), [contact.id]);
    const withBlock = await hs.crm.contacts.basicApi.getById(contact.id, undefined, undefined, ['companies']);
    assert.equal(withBlock.associations?.companies?.results[0]?.id, company.id);
    await hs.crm.associations.v4.basicApi.archive('contacts', contact.id, 'companies', company.id);
    const empty = await hs.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    assert.equal(empty.results.length, 0);

    const labelled = await hs.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', company.id,
      [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }]);
    assert.deepEqual(labelled.labels, ['Primary']);
  });

  test('a create body may carry associations', async () => {
    const company = await hs.crm.companies.basicApi.create({ properties: { name: 'Inline Co' }, associations: [] });
    const contact = await hs.crm.contacts.basicApi.create({
      properties: { email: 'inline@example.org' },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }] }],
    });
    const page = await hs.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    assert.deepEqual(page.results.map((r) => String(r.toObjectId)), [company.id]);
  });

  test('OAuth tokensApi.create exchanges a code and refreshes', async () => {
    const authorize = new URL('/oauth/authorize', fake.url);
    authorize.search = new URLSearchParams({ client_id: fake.credentials.clientId ?? '', redirect_uri: 'http://127.0.0.1/cb', scope: 'crm.objects.contacts.read', state: 's1' }).toString();
    const res = await fetch(authorize, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('state'), 's1');
    const code = location.searchParams.get('code') ?? '';

    const anon = new Client({ basePath: fake.url });
    const tokens = await anon.oauth.tokensApi.create('authorization_code', code, 'http://127.0.0.1/cb', fake.credentials.clientId, fake.credentials.clientSecret);
    assert.equal(tokens.expiresIn, 1800);
    assert.equal(tokens.tokenType, 'bearer');
    const page = await client(tokens.accessToken).crm.contacts.basicApi.getPage(1);
    assert.equal(page.results.length, 1);

    const refreshed = await anon.oauth.tokensApi.create('refresh_token', undefined, undefined, fake.credentials.clientId, fake.credentials.clientSecret, tokens.refreshToken);
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.equal(refreshed.refreshToken, tokens.refreshToken, 'non-rotating by default');
  });

  test('a 429 surfaces as the SDK error with the TEN_SECONDLY_ROLLING body', async () => {
    fake.ctx.faults.burst429 = 1;
    const err = await sdkError(hs.crm.deals.basicApi.getPage(10));
    assert.equal(err.code, 429);
    assert.equal(err.body.policyName, 'TEN_SECONDLY_ROLLING');
    assert.equal(err.body.errorType, 'RATE_LIMIT');
  });

  test('an unknown token is a 401 INVALID_AUTHENTICATION', async () => {
    const err = await sdkError(client('not-a-token').crm.contacts.basicApi.getPage(1));
    assert.equal(err.code, 401);
    assert.equal(err.body.category, 'INVALID_AUTHENTICATION');
  });
});
