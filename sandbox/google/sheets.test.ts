import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { sheets } from '@googleapis/sheets';
import { JWT, OAuth2Client } from 'google-auth-library';
import { startGoogle } from './index.ts';

// @googleapis/sheets bundles its own copy of google-auth-library; the classes match at run time
// but their declarations differ (private fields), so the type system needs telling.
const sheetsAt = (rootUrl: string, auth: OAuth2Client | JWT) => sheets({ version: 'v4', auth: auth as never, rootUrl });

/** Conformance: @googleapis/sheets with only `rootUrl` pointed at the fake. */
describe('google sheets fake with @googleapis/sheets', () => {
  let fake: Awaited<ReturnType<typeof startGoogle>>;
  let api: ReturnType<typeof sheets>;
  let id: string;

  before(async () => {
    fake = await startGoogle();
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: fake.credentials.accessToken! });
    api = sheetsAt(fake.credentials.rootUrl!, auth);
    id = fake.credentials.spreadsheetId!;
  });
  after(() => fake.close());

  test('values.get returns the requested range with trailing empties trimmed', async () => {
    const res = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1:F10' });
    assert.equal(res.data.range, 'Sheet1!A1:F10');
    assert.equal(res.data.majorDimension, 'ROWS');
    assert.deepEqual(res.data.values, [['Name', 'Email', 'Amount', 'Status'], ['Ada', 'ada@example.com', '120', 'open'], ['Grace', 'grace@example.com', '80', 'closed']]);
    const whole = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1' });
    assert.equal(whole.data.range, 'Sheet1!A1:Z1000');
    const cols = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'A:B', majorDimension: 'COLUMNS', valueRenderOption: 'UNFORMATTED_VALUE' });
    assert.equal(cols.data.range, 'Sheet1!A1:B1000');
    assert.deepEqual(cols.data.values, [['Name', 'Ada', 'Grace'], ['Email', 'ada@example.com', 'grace@example.com']]);
    const nums = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!C2:C3', valueRenderOption: 'UNFORMATTED_VALUE' });
    assert.deepEqual(nums.data.values, [[120], [80]]);
    const empty = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!H1:H5' });
    assert.equal(empty.data.values, undefined, 'an empty range has no values key');
  });

  test('values.update with USER_ENTERED parses numbers, booleans and formulas; RAW keeps text', async () => {
    const res = await api.spreadsheets.values.update({
      spreadsheetId: id, range: 'Sheet1!F1', valueInputOption: 'USER_ENTERED', includeValuesInResponse: true,
      requestBody: { values: [['10', 'TRUE'], ['5', '=SUM(F1:F2)']] },
    });
    assert.equal(res.data.updatedRange, 'Sheet1!F1:G2');
    assert.equal(res.data.updatedCells, 4);
    assert.deepEqual(res.data.updatedData?.values, [['10', 'TRUE'], ['5', '15']]);
    const formula = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!G2', valueRenderOption: 'FORMULA' });
    assert.deepEqual(formula.data.values, [['=SUM(F1:F2)']]);
    await api.spreadsheets.values.update({ spreadsheetId: id, range: 'Sheet1!F3', valueInputOption: 'RAW', requestBody: { values: [['=1+1']] } });
    const raw = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!F3', valueRenderOption: 'FORMULA' });
    assert.deepEqual(raw.data.values, [['=1+1']]);
  });

  test('values.append finds the table and writes after it', async () => {
    const res = await api.spreadsheets.values.append({
      spreadsheetId: id, range: 'Sheet1!A1:D1', valueInputOption: 'USER_ENTERED', insertDataOption: 'INSERT_ROWS',
      requestBody: { values: [['Linus', 'linus@example.com', '42', 'open']] },
    });
    assert.equal(res.data.tableRange, 'Sheet1!A1:D3');
    assert.equal(res.data.updates?.updatedRange, 'Sheet1!A4:D4');
    assert.equal(res.data.updates?.updatedRows, 1);
    const again = await api.spreadsheets.values.append({ spreadsheetId: id, range: 'Sheet1!A:D', valueInputOption: 'RAW', requestBody: { values: [['Ken'], ['Barbara']] } });
    assert.equal(again.data.updates?.updatedRange, 'Sheet1!A5:A6');
  });

  test('values.batchUpdate and batchGet', async () => {
    const res = await api.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!J1', values: [['a']] }, { range: 'Sheet1!K1:K2', values: [['b'], ['c']] }] },
    });
    assert.equal(res.data.totalUpdatedCells, 3);
    assert.equal(res.data.totalUpdatedSheets, 1);
    assert.equal(res.data.responses?.length, 2);
    const got = await api.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ['Sheet1!K1:K2', 'Sheet1!J1'] });
    assert.deepEqual(got.data.valueRanges?.map((v) => v.values), [[['b'], ['c']], [['a']]]);
  });

  test('batchUpdate is all-or-nothing when one range is bad', async () => {
    await assert.rejects(api.spreadsheets.values.batchUpdate({
      spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!L1', values: [['x']] }, { range: 'Nope!A1', values: [['y']] }] },
    }), (e: { status?: number }) => e.status === 400);
    const l1 = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!L1' });
    assert.equal(l1.data.values, undefined);
    await assert.rejects(api.spreadsheets.values.batchUpdate({
      spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!L1', values: [['x']] }, { range: 'Sheet1!M1:M2', values: [['y', 'z']] }] },
    }), (e: { status?: number }) => e.status === 400);
    const after = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!L1' });
    assert.equal(after.data.values, undefined, 'the first write was rolled back');
  });

  test('values.clear and metadata', async () => {
    const cleared = await api.spreadsheets.values.clear({ spreadsheetId: id, range: 'Sheet1!J1:K2' });
    assert.equal(cleared.data.clearedRange, 'Sheet1!J1:K2');
    const meta = await api.spreadsheets.get({ spreadsheetId: id });
    assert.equal(meta.data.properties?.title, 'Sandbox requests');
    assert.equal(meta.data.sheets?.[0]?.properties?.title, 'Sheet1');
    assert.equal(meta.data.sheets?.[0]?.properties?.gridProperties?.columnCount, 26);
  });

  test('errors use Google\'s {error:{code,message,status}}', async () => {
    const post = (path: string, headers: Record<string, string> = {}) => fetch(`${fake.url}${path}`, { headers });
    const noAuth = await post(`/v4/spreadsheets/${id}/values/A1`);
    assert.equal(noAuth.status, 401);
    assert.equal(((await noAuth.json()) as { error: { status: string } }).error.status, 'UNAUTHENTICATED');
    const bad = await post(`/v4/spreadsheets/${id}/values/A1`, { authorization: 'Bearer nope' });
    assert.deepEqual(Object.keys(((await bad.json()) as { error: object }).error).sort(), ['code', 'message', 'status']);
    await assert.rejects(api.spreadsheets.values.get({ spreadsheetId: 'missing', range: 'A1' }), (e: { status?: number; response?: { data: { error: { status: string } } } }) =>
      e.status === 404 && e.response?.data.error.status === 'NOT_FOUND');
    await assert.rejects(api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1:A5000' }), (e: { status?: number; response?: { data: { error: { status: string; message: string } } } }) =>
      e.status === 400 && e.response?.data.error.status === 'INVALID_ARGUMENT' && /exceeds grid limits/.test(e.response.data.error.message));
    await assert.rejects(api.spreadsheets.values.update({ spreadsheetId: id, range: 'A1', requestBody: { values: [['x']] } }), (e: { status?: number }) => e.status === 400);
  });
});

describe('google token endpoint', () => {
  let fake: Awaited<ReturnType<typeof startGoogle>>;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const EMAIL = 'robot@test-project.iam.gserviceaccount.com';

  before(async () => {
    fake = await startGoogle({ seed: { serviceAccounts: [{ email: EMAIL, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }] } });
  });
  after(() => fake.close());

  // google-auth-library 10 hard-codes https://oauth2.googleapis.com/token for the JWT grant and has no
  // token-URL option; its Gaxios transporter is the supported hook, so the only change is that host.
  function jwtClient(email: string, key: string) {
    const client = new JWT({ email, key, scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        const u = new URL(String(config.url));
        if (u.origin === 'https://oauth2.googleapis.com') config.url = new URL(`${fake.url}${u.pathname}${u.search}`);
        return config;
      },
    });
    return client;
  }

  test('google-auth-library JWT gets a token via the jwt-bearer grant, and Sheets accepts it', async () => {
    const client = jwtClient(EMAIL, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const { token } = await client.getAccessToken();
    assert.ok(token?.startsWith('ya29.'));
    const expiry = client.credentials.expiry_date!;
    assert.ok(expiry - Date.now() > 3_500_000 && expiry - Date.now() <= 3_600_000);
    const api = sheetsAt(fake.credentials.rootUrl!, client);
    const res = await api.spreadsheets.values.get({ spreadsheetId: fake.credentials.spreadsheetId!, range: 'Sheet1!A1:B1' });
    assert.deepEqual(res.data.values, [['Name', 'Email']]);
    const tokenCall = fake.ctx.log.entries.find((e) => e.path === '/token');
    assert.equal((tokenCall?.body as { grant_type: string }).grant_type, 'urn:ietf:params:oauth:grant-type:jwt-bearer');
  });

  test('the default service account from credentials() works too', async () => {
    const client = jwtClient(fake.credentials.serviceAccountEmail!, fake.credentials.serviceAccountPrivateKey!);
    const { token } = await client.getAccessToken();
    assert.ok(token);
  });

  test('a wrong key or unknown account is invalid_grant', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await assert.rejects(jwtClient(EMAIL, other).getAccessToken(), /invalid_grant: Invalid JWT Signature/);
    await assert.rejects(jwtClient('ghost@x.iam.gserviceaccount.com', other).getAccessToken(), /invalid_grant/);
  });

  test('authorization code with access_type=offline, then refresh_token grant', async () => {
    const q = new URLSearchParams({ client_id: fake.credentials.clientId!, redirect_uri: 'http://127.0.0.1:1/cb', response_type: 'code', scope: 'https://www.googleapis.com/auth/spreadsheets.readonly', access_type: 'offline', state: 's' });
    const res = await fetch(`${fake.url}/o/oauth2/v2/auth?${q}`, { redirect: 'manual' });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const oauth = new OAuth2Client({ clientId: fake.credentials.clientId!, clientSecret: fake.credentials.clientSecret!, redirectUri: 'http://127.0.0.1:1/cb', endpoints: { oauth2TokenUrl: fake.credentials.tokenUrl! } });
    const { tokens } = await oauth.getToken(code);
    assert.ok(tokens.refresh_token);
    assert.ok(tokens.access_token);
    oauth.setCredentials({ refresh_token: tokens.refresh_token! });
    const refreshed = await oauth.getAccessToken();
    assert.ok(refreshed.token && refreshed.token !== tokens.access_token);
    assert.equal(oauth.credentials.refresh_token, tokens.refresh_token, 'Google does not rotate refresh tokens');
    // A read-only token may read but not write.
    const api = sheetsAt(fake.credentials.rootUrl!, oauth);
    await api.spreadsheets.values.get({ spreadsheetId: fake.credentials.spreadsheetId!, range: 'A1' });
    await assert.rejects(api.spreadsheets.values.update({ spreadsheetId: fake.credentials.spreadsheetId!, range: 'A1', valueInputOption: 'RAW', requestBody: { values: [['x']] } }), (e: { status?: number }) => e.status === 403);
  });
});
