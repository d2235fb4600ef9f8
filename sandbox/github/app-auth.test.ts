import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { App } from '@octokit/app';
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import type { RequestError } from '@octokit/request-error';
import { SignJWT, importPKCS8 } from 'jose';
import { startGithub } from './index.ts';

/** GitHub App auth and OAuth, driven by @octokit/auth-app, @octokit/app and plain HTTP. */
describe('github app authentication', () => {
  let fake: Awaited<ReturnType<typeof startGithub>>;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const APP_ID = 424242;
  const INSTALLATION_ID = 777;

  before(async () => {
    fake = await startGithub({
      seed: {
        repos: [{ owner: 'acme', name: 'widgets' }, { owner: 'acme', name: 'secret', private: true }, { owner: 'acme', name: 'other' }],
        apps: [{ id: APP_ID, slug: 'switchyard-test', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), installations: [{ id: INSTALLATION_ID, account: 'acme', repositories: ['widgets', 'secret'] }] }],
      },
    });
  });
  after(() => fake.close());

  test('@octokit/auth-app mints an app JWT the fake accepts on GET /app', async () => {
    const auth = createAppAuth({ appId: APP_ID, privateKey: privatePem, request: request.defaults({ baseUrl: fake.url }) });
    const appAuth = await auth({ type: 'app' });
    const res = await fetch(`${fake.url}/app`, { headers: { authorization: `Bearer ${appAuth.token}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { id: number; slug: string };
    assert.equal(body.id, APP_ID);
    assert.equal(body.slug, 'switchyard-test');
  });

  test('installation auth yields a ghs_ token with 1 h expiry that the API accepts', async () => {
    const auth = createAppAuth({ appId: APP_ID, privateKey: privatePem, installationId: INSTALLATION_ID, request: request.defaults({ baseUrl: fake.url }) });
    const inst = await auth({ type: 'installation' });
    assert.match(inst.token, /^ghs_[A-Za-z0-9]{36}$/);
    const ttl = Date.parse(inst.expiresAt) - Date.now();
    assert.ok(ttl > 3_500_000 && ttl <= 3_600_000, `expires in about an hour (${ttl} ms)`);
    assert.equal(inst.repositorySelection, 'selected');
    const octokit = new Octokit({ auth: inst.token, baseUrl: fake.url });
    const repos = await octokit.rest.apps.listReposAccessibleToInstallation();
    assert.deepEqual(repos.data.repositories.map((r) => r.name).sort(), ['secret', 'widgets']);
    const issue = await octokit.rest.issues.create({ owner: 'acme', repo: 'secret', title: 'from the app' });
    assert.equal(issue.data.user?.login, 'switchyard-test[bot]');
    await assert.rejects(octokit.rest.repos.get({ owner: 'acme', repo: 'other' }), (e: RequestError) => e.status === 404);
  });

  test('@octokit/app lists installations and hands out an installation Octokit', async () => {
    const app = new App({ appId: APP_ID, privateKey: privatePem, Octokit: Octokit.defaults({ baseUrl: fake.url }) });
    const seen: number[] = [];
    for await (const { installation } of app.eachInstallation.iterator()) seen.push(installation.id);
    assert.deepEqual(seen, [INSTALLATION_ID]);
    const octokit = await app.getInstallationOctokit(INSTALLATION_ID);
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'widgets' });
    assert.equal(data.full_name, 'acme/widgets');
  });

  test('Octokit with authStrategy createAppAuth and baseUrl works end to end', async () => {
    const octokit = new Octokit({ authStrategy: createAppAuth, auth: { appId: APP_ID, privateKey: privatePem, installationId: INSTALLATION_ID }, baseUrl: fake.url });
    const { data } = await octokit.rest.issues.listForRepo({ owner: 'acme', repo: 'widgets' });
    assert.deepEqual(data, []);
  });

  test('JWTs are checked: exp too far ahead, wrong key, unknown app', async () => {
    const key = await importPKCS8(privatePem, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const tooLong = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(String(APP_ID)).setIssuedAt(now - 30).setExpirationTime(now + 3600).sign(key);
    const r1 = await fetch(`${fake.url}/app`, { headers: { authorization: `Bearer ${tooLong}` } });
    assert.equal(r1.status, 401);
    assert.match(((await r1.json()) as { message: string }).message, /too far in the future/);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(String(APP_ID)).setIssuedAt(now - 30).setExpirationTime(now + 300).sign(other);
    const r2 = await fetch(`${fake.url}/app`, { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(r2.status, 401);
    const stranger = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer('1').setIssuedAt(now - 30).setExpirationTime(now + 300).sign(key);
    assert.equal((await fetch(`${fake.url}/app`, { headers: { authorization: `Bearer ${stranger}` } })).status, 401);
  });

  test('installation tokens stop working after expiry', async () => {
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ installationTokenTtlSec: 0 }) });
    const auth = createAppAuth({ appId: APP_ID, privateKey: privatePem, request: request.defaults({ baseUrl: fake.url }) });
    const inst = await auth({ type: 'installation', installationId: INSTALLATION_ID, refresh: true });
    const res = await fetch(`${fake.url}/repos/acme/widgets`, { headers: { authorization: `token ${inst.token}` } });
    assert.equal(res.status, 401);
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ installationTokenTtlSec: 3600 }) });
  });
});

describe('github OAuth App flow', () => {
  let fake: Awaited<ReturnType<typeof startGithub>>;
  before(async () => {
    fake = await startGithub();
  });
  after(() => fake.close());

  async function code(): Promise<string> {
    const q = new URLSearchParams({ client_id: fake.credentials.clientId!, redirect_uri: 'http://127.0.0.1:1/cb', scope: 'repo read:org', state: 'xyz' });
    const res = await fetch(`${fake.url}/login/oauth/authorize?${q}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get('location')!);
    assert.equal(loc.searchParams.get('state'), 'xyz');
    return loc.searchParams.get('code')!;
  }

  const exchange = (body: Record<string, string>, accept?: string) => fetch(`${fake.url}/login/oauth/access_token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(accept ? { accept } : {}) }, body: new URLSearchParams(body).toString(),
  });
  const client = () => ({ client_id: fake.credentials.clientId!, client_secret: fake.credentials.clientSecret! });

  test('form-encoded by default, non-expiring, comma-separated scope, usable token', async () => {
    const res = await exchange({ ...client(), code: await code(), redirect_uri: 'http://127.0.0.1:1/cb' });
    assert.match(res.headers.get('content-type')!, /application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(await res.text());
    assert.equal(form.get('token_type'), 'bearer');
    assert.equal(form.get('scope'), 'repo,read:org');
    assert.equal(form.get('refresh_token'), null);
    assert.equal(form.get('expires_in'), null);
    const me = await new Octokit({ auth: form.get('access_token')!, baseUrl: fake.url }).rest.users.getAuthenticated();
    assert.equal(me.data.login, 'octocat');
  });

  test('JSON with Accept: application/json; a bad code is HTTP 200 with error', async () => {
    const ok = await exchange({ ...client(), code: await code() }, 'application/json');
    const body = (await ok.json()) as Record<string, string>;
    assert.ok(body.access_token);
    const bad = await exchange({ ...client(), code: 'nope' }, 'application/json');
    assert.equal(bad.status, 200);
    assert.equal(((await bad.json()) as { error: string }).error, 'bad_verification_code');
  });

  test('expiring user tokens (knob) come with a rotating refresh token', async () => {
    await fetch(`${fake.url}/_sandbox/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ oauth: { accessTokenTtlSec: 28800 } }) });
    const first = (await (await exchange({ ...client(), code: await code() }, 'application/json')).json()) as Record<string, string | number>;
    assert.equal(first.expires_in, 28800);
    assert.equal(first.refresh_token_expires_in, 15897600);
    const second = (await (await exchange({ ...client(), grant_type: 'refresh_token', refresh_token: String(first.refresh_token) }, 'application/json')).json()) as Record<string, string>;
    assert.ok(second.access_token && second.refresh_token !== first.refresh_token);
    const reused = (await (await exchange({ ...client(), grant_type: 'refresh_token', refresh_token: String(first.refresh_token) }, 'application/json')).json()) as Record<string, string>;
    assert.equal(reused.error, 'bad_refresh_token');
  });
});
